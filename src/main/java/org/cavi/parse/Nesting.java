package org.cavi.parse;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;
import org.cavi.parse.generated.CaviLexer;
import org.cavi.source.Diagnostic;
import org.cavi.source.SourceFile;

/**
 * The nesting limit, checked on the tokens before the parser runs: the parser, the AST
 * builder, the checker and the evaluator each recurse once per level of an expression, so an
 * expression nested 100,000 deep would overflow the stack. Every bracket, and every operator of
 * one chain between brackets, commas or statement keywords, counts as one level: a bound on the
 * depth of the expression's tree, however it associates. An expression whose bound exceeds
 * {@link #LIMIT} is an error at the bracket or operator where it first does.
 */
final class Nesting {
    /** The deepest an expression may nest: brackets, unary minus and binary operators each count one. */
    static final int LIMIT = 200;

    private Nesting() {}

    /** A run of tokens at one bracket level, between commas or other separators. */
    private static final class Segment {
        final int parent;
        final Token opener;
        final List<Token> ops = new ArrayList<>();
        long total;

        Segment(int parent, Token opener) {
            this.parent = parent;
            this.opener = opener;
        }
    }

    static List<Diagnostic> check(SourceFile file, List<Token> tokens) {
        List<Segment> segs = new ArrayList<>();
        List<Integer> stack = new ArrayList<>(); // the segment each open bracket sits in
        segs.add(new Segment(-1, null));
        int cur = 0;
        for (Token t : tokens) {
            int type = t.getType();
            if (type == Token.EOF) break;
            if (type == CaviLexer.NUMBER || type == CaviLexer.ID) continue;
            String s = t.getText();
            switch (s) {
                case "(", "[" -> {
                    stack.add(cur);
                    segs.add(new Segment(cur, t));
                    cur = segs.size() - 1;
                }
                case ")", "]" -> {
                    if (!stack.isEmpty()) cur = stack.remove(stack.size() - 1);
                }
                case "+", "-", "*", "/", "^" -> segs.get(cur).ops.add(t);
                default -> {
                    // a ',' or anything that is not part of an expression ends the chain
                    Segment c = segs.get(cur);
                    segs.add(new Segment(c.parent, c.opener));
                    cur = segs.size() - 1;
                }
            }
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Segment g : segs) {
            long parentTotal = g.parent < 0 ? 0 : segs.get(g.parent).total;
            long base = g.parent < 0 ? 0 : parentTotal + 1;
            g.total = base + g.ops.size();
            if (g.total <= LIMIT || parentTotal > LIMIT) continue; // fine, or reported with its parent
            Token at = base > LIMIT ? g.opener : g.ops.get((int) (LIMIT - base));
            out.add(Diagnostic.error(file.codePointSpan(at.getStartIndex(), at.getStopIndex() + 1),
                    "this expression is nested more than " + LIMIT + " deep (each bracket, unary minus and operator"
                            + " of a chain is one level); split it into constants"));
        }
        return out;
    }
}
