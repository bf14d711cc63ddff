package org.cavi.ast;

import java.util.List;
import org.cavi.source.Span;

/** Expressions: constants, arguments of distributions, plate bounds. */
public sealed interface Expr {
    Span span();

    record Num(double value, Span span) implements Expr {}
    record Name(String name, Span span) implements Expr {}
    record Index(String name, List<Expr> indices, Span span) implements Expr {}
    record Call(String fn, List<Expr> args, Span span) implements Expr {}
    record Vector(List<Expr> elems, Span span) implements Expr {}
    record Neg(Expr operand, Span span) implements Expr {}
    record Binary(char op, Expr left, Expr right, Span span) implements Expr {}
}
