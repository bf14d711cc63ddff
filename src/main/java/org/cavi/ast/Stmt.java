package org.cavi.ast;

import java.util.List;
import java.util.Optional;
import org.cavi.source.Span;

/** Top-level statements of a .vi file. */
public sealed interface Stmt {
    Span span();

    /** The name a statement defines; a later statement with the same name replaces it in the REPL. */
    String definedName();

    record ModelDecl(String name, Span nameSpan, Span span) implements Stmt {
        public String definedName() { return "model"; }
    }

    record ConstDecl(String name, Span nameSpan, Expr value, Span span) implements Stmt {
        public String definedName() { return name; }
    }

    record DataDecl(String name, Span nameSpan, List<Expr> dims, Optional<String> path,
                    Optional<Span> pathSpan, Span span) implements Stmt {
        public String definedName() { return name; }
    }

    /** {@code name[idx..] ~ Dist(args) for v in lo..hi ...} */
    record Tilde(Target target, Dist dist, List<Plate> plates, Span span) implements Stmt {
        public String definedName() { return "~" + target.name(); }
    }

    /** {@code q(mu[k], tau[k])}: these latents share one variational factor. */
    record Joint(String fn, Span fnSpan, List<Target> members, Span span) implements Stmt {
        public String definedName() {
            return "q(" + String.join(",", members.stream().map(Target::name).toList()) + ")";
        }
    }

    record Target(String name, List<String> indices, List<Span> indexSpans, Span span) {}

    record Dist(String name, Span nameSpan, List<Expr> args, Span span) {}

    record Plate(String var, Span varSpan, Expr lo, Expr hi, Span span) {}
}
