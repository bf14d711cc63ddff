package org.cavi.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.cavi.ast.Expr;
import org.cavi.ast.Program;
import org.cavi.ast.Stmt;
import org.cavi.parse.generated.CaviParser;
import org.cavi.source.SourceFile;
import org.cavi.source.Span;

/** Turns generated parse trees into the immutable AST. Package-private: no generated type leaks. */
final class AstBuilder {
    private final SourceFile file;

    AstBuilder(SourceFile file) { this.file = file; }

    Program program(CaviParser.ProgramContext ctx) {
        List<Stmt> stmts = new ArrayList<>();
        for (CaviParser.StatementContext s : ctx.statement()) stmts.add(statement(s));
        return new Program(file, List.copyOf(stmts));
    }

    private Stmt statement(CaviParser.StatementContext ctx) {
        if (ctx instanceof CaviParser.ModelDeclContext m) {
            return new Stmt.ModelDecl(m.name.getText(), span(m.name), span(m));
        }
        if (ctx instanceof CaviParser.ConstDeclContext c) {
            return new Stmt.ConstDecl(c.name.getText(), span(c.name), expr(c.value), span(c));
        }
        if (ctx instanceof CaviParser.DataDeclContext d) {
            Optional<String> path = Optional.ofNullable(d.path).map(t -> unquote(t.getText()));
            return new Stmt.DataDecl(d.name.getText(), span(d.name), exprs(d.dims), path,
                    Optional.ofNullable(d.path).map(this::span), span(d));
        }
        if (ctx instanceof CaviParser.JointDeclContext j) {
            List<Stmt.Target> members = new ArrayList<>();
            for (CaviParser.TargetContext m : j.members) members.add(target(m));
            return new Stmt.Joint(j.fn.getText(), span(j.fn), List.copyOf(members), span(j));
        }
        CaviParser.TildeStmtContext t = (CaviParser.TildeStmtContext) ctx;
        Stmt.Target target = target(t.lhs);
        int closeParen = t.plate().isEmpty() ? t.getStop().getStopIndex() : t.plate(0).getStart().getStartIndex() - 1;
        Span distSpan = file.codePointSpan(t.dist.getStartIndex(), closeParen + 1);
        Stmt.Dist dist = new Stmt.Dist(t.dist.getText(), span(t.dist), exprs(t.args), trimmed(distSpan));
        List<Stmt.Plate> plates = new ArrayList<>();
        for (CaviParser.PlateContext p : t.plate()) {
            plates.add(new Stmt.Plate(p.var.getText(), span(p.var), expr(p.lo), expr(p.hi), span(p)));
        }
        return new Stmt.Tilde(target, dist, List.copyOf(plates), span(t));
    }

    private Stmt.Target target(CaviParser.TargetContext tg) {
        List<String> idx = new ArrayList<>();
        List<Span> idxSpans = new ArrayList<>();
        for (Token i : tg.idx) { idx.add(i.getText()); idxSpans.add(span(i)); }
        return new Stmt.Target(tg.name.getText(), List.copyOf(idx), List.copyOf(idxSpans), span(tg));
    }

    Expr expr(CaviParser.ExprContext ctx) {
        Span s = span(ctx);
        if (ctx instanceof CaviParser.NumExprContext n) {
            return new Expr.Num(Double.parseDouble(n.getText()), s);
        }
        if (ctx instanceof CaviParser.NameExprContext n) return new Expr.Name(n.name.getText(), s);
        if (ctx instanceof CaviParser.IndexExprContext i) return new Expr.Index(i.name.getText(), exprs(i.idx), s);
        if (ctx instanceof CaviParser.CallExprContext c) return new Expr.Call(c.fn.getText(), exprs(c.args), s);
        if (ctx instanceof CaviParser.VectorExprContext v) return new Expr.Vector(exprs(v.elems), s);
        if (ctx instanceof CaviParser.ParenExprContext p) return expr(p.inner);
        if (ctx instanceof CaviParser.NegExprContext n) return new Expr.Neg(expr(n.operand), s);
        if (ctx instanceof CaviParser.PowExprContext p) return new Expr.Binary('^', expr(p.base), expr(p.exponent), s);
        if (ctx instanceof CaviParser.MulExprContext m) return new Expr.Binary(m.op.getText().charAt(0), expr(m.left), expr(m.right), s);
        CaviParser.AddExprContext a = (CaviParser.AddExprContext) ctx;
        return new Expr.Binary(a.op.getText().charAt(0), expr(a.left), expr(a.right), s);
    }

    private List<Expr> exprs(List<CaviParser.ExprContext> ctxs) {
        List<Expr> out = new ArrayList<>();
        for (CaviParser.ExprContext c : ctxs) out.add(expr(c));
        return List.copyOf(out);
    }

    private Span span(ParserRuleContext ctx) {
        Token stop = ctx.getStop() == null ? ctx.getStart() : ctx.getStop();
        return trimmed(file.codePointSpan(ctx.getStart().getStartIndex(), stop.getStopIndex() + 1));
    }

    /** ANTLR's indices count code points; spans count chars. */
    private Span span(Token t) { return file.codePointSpan(t.getStartIndex(), t.getStopIndex() + 1); }

    /** A statement span without a trailing ';'. */
    private Span trimmed(Span s) {
        int end = s.end();
        String text = file.text();
        while (end > s.start() + 1 && (text.charAt(end - 1) == ';' || Character.isWhitespace(text.charAt(end - 1)))) end--;
        return file.span(s.start(), end);
    }

    private static String unquote(String s) {
        return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
