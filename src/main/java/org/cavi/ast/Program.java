package org.cavi.ast;

import java.util.List;
import org.cavi.source.SourceFile;

public record Program(SourceFile source, List<Stmt> statements) {}
