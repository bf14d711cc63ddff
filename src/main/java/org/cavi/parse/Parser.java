package org.cavi.parse;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.ATNConfigSet;
import org.antlr.v4.runtime.dfa.DFA;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.cavi.ast.Expr;
import org.cavi.ast.Program;
import org.cavi.parse.generated.CaviLexer;
import org.cavi.parse.generated.CaviParser;
import org.cavi.source.Diagnostic;
import org.cavi.source.SourceFile;
import org.cavi.source.Span;

/**
 * The facade over the generated ANTLR parser: the only class that drives it.
 * It replaces ANTLR's console listeners with its own, never lets ANTLR invent
 * a missing token, and returns the hand-written AST or located diagnostics.
 */
public final class Parser {
    private Parser() {}

    /** What parsing produced: a value when there were no errors, and the errors. */
    public record Result<T>(Optional<T> value, List<Diagnostic> errors, boolean incomplete) {
        public boolean ok() { return errors.isEmpty(); }
    }

    public static Result<Program> parseProgram(SourceFile file) {
        return run(file, CaviParser::program, (b, t) -> b.program(t));
    }

    public static Result<Expr> parseExpr(SourceFile file) {
        return run(file, CaviParser::exprOnly, (b, t) -> b.expr(t.expr()));
    }

    /** Parses with the given entry rule; the AST is built only from a tree without errors. */
    private static <C, T> Result<T> run(SourceFile file, Function<CaviParser, C> entry,
                                        java.util.function.BiFunction<AstBuilder, C, T> build) {
        Collector errors = new Collector(file);
        CaviLexer lexer = new CaviLexer(CharStreams.fromString(file.text(), file.name()));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        for (Token t : tokens.getTokens()) errors.lexical(t);
        errors.endLexical();
        List<Diagnostic> tooDeep = Nesting.check(file, tokens.getTokens());
        C tree = null;
        if (tooDeep.isEmpty()) {
            // the parser recurses once per level of nesting: parse only what Nesting allows
            CaviParser parser = new CaviParser(tokens);
            parser.removeErrorListeners();
            parser.addErrorListener(errors);
            parser.setErrorHandler(new NoInventedTokens());
            parser.addParseListener(new org.antlr.v4.runtime.tree.ParseTreeListener() {
                @Override public void visitTerminal(org.antlr.v4.runtime.tree.TerminalNode node) {}
                @Override public void visitErrorNode(org.antlr.v4.runtime.tree.ErrorNode node) {}
                @Override public void enterEveryRule(org.antlr.v4.runtime.ParserRuleContext ctx) {}
                @Override public void exitEveryRule(org.antlr.v4.runtime.ParserRuleContext ctx) {
                    if (ctx instanceof CaviParser.StatementContext) errors.statementEnded(ctx);
                }
            });
            tree = entry.apply(parser);
            if (tree instanceof org.antlr.v4.runtime.tree.ParseTree root) callsAcrossLines(root, errors);
        }
        List<Diagnostic> found = new ArrayList<>(errors.found);
        found.addAll(tooDeep);
        found.sort(java.util.Comparator.comparingInt(d -> d.span().start()));
        if (found.size() > MAX_ERRORS) {
            Diagnostic last = found.get(MAX_ERRORS);
            found = new ArrayList<>(found.subList(0, MAX_ERRORS));
            found.add(Diagnostic.error(last.span(), "too many syntax errors; stopping here"));
        }
        found = List.copyOf(found);
        return new Result<>(found.isEmpty() ? Optional.of(build.apply(new AstBuilder(file), tree)) : Optional.empty(), found,
                errors.incomplete);
    }

    /**
     * A call whose '(' starts a later line than its name: nearly always two statements run
     * together, as 'for i in 1..n' followed by a joint factor whose q was lost, '(mu[k], Lambda[k])',
     * which would read as the call n(mu[k], Lambda[k]).
     */
    private static void callsAcrossLines(org.antlr.v4.runtime.tree.ParseTree node, Collector errors) {
        if (node instanceof CaviParser.CallExprContext call && call.fn != null && call.getChildCount() > 1
                && call.getChild(1) instanceof org.antlr.v4.runtime.tree.TerminalNode open
                && open.getSymbol().getLine() > call.fn.getLine()) {
            errors.callAcrossLines(call.fn, open.getSymbol());
        }
        for (int c = 0; c < node.getChildCount(); c++) callsAcrossLines(node.getChild(c), errors);
    }

    /** At most this many syntax errors are reported for one text (then one saying so). */
    static final int MAX_ERRORS = 50;

    /** A token's text for a message, cut to a readable length. */
    static String clip(String text) {
        int n = text.codePointCount(0, text.length());
        if (n <= 40) return text;
        return text.substring(0, text.offsetByCodePoints(0, 30)) + "…"
                + text.substring(text.offsetByCodePoints(0, n - 5)) + " (" + n + " characters)";
    }

    /** Recovery may skip tokens but must not make up tokens the user did not write. */
    private static final class NoInventedTokens extends DefaultErrorStrategy {
        @Override protected boolean singleTokenInsertion(org.antlr.v4.runtime.Parser recognizer) {
            return false;
        }
    }

    private static final class Collector extends BaseErrorListener {
        final SourceFile file;
        final List<Diagnostic> found = new ArrayList<>();
        boolean incomplete;
        private int lastOffset = -1;
        /** The token index of the last parse error not yet followed by a clean statement, or -1. */
        private int lastParseError = -1;

        /** A statement ended: it was clean when it started after the last parse error. */
        void statementEnded(org.antlr.v4.runtime.ParserRuleContext statement) {
            if (lastParseError >= 0 && statement.getStart().getTokenIndex() > lastParseError) lastParseError = -1;
        }

        Collector(SourceFile file) { this.file = file; }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col,
                                String antlrMessage, RecognitionException e) {
            Token t = offending instanceof Token tok ? tok : null;
            String message;
            int start, end;
            if (t == null) {
                // The lexer matched no rule; ERROR_CHAR makes this rare.
                start = offsetOf(line, col);
                end = start + 1;
                message = "unexpected character";
            } else {
                start = Math.min(file.offsetOfCodePoint(t.getStartIndex()), file.text().length());
                end = Math.max(start + 1, file.offsetOfCodePoint(t.getStopIndex() + 1));
                if (t.getType() == Token.EOF) {
                    // point just after the last thing written, not at an empty last line
                    String text = file.text();
                    int last = text.length();
                    while (last > 0 && Character.isWhitespace(text.charAt(last - 1))) last--;
                    start = last;
                    end = last + 1;
                }
                message = describe(recognizer, t);
                if (message == null) return; // already reported by the token itself
                // Until a statement parses cleanly after a parse error, a further one is nearly
                // always its echo as the parser resynchronises ("unexpected '0'; expected a name"
                // after a '=' written for '~'): report the first only. The end of input always counts.
                boolean echo = lastParseError >= 0 && t.getType() != Token.EOF;
                lastParseError = Math.max(lastParseError, t.getTokenIndex());
                if (echo) return;
            }
            if (start == lastOffset) return; // one message per place
            lastOffset = start;
            found.add(Diagnostic.error(file.span(start, end), message));
        }

        /** A run of adjacent bad characters, reported as one error when it ends. */
        private Token runStart, runEnd;

        /** Tokens that stand for lexical errors are reported once, whether or not the parser reaches them. */
        void lexical(Token t) {
            if (t.getType() == CaviLexer.ERROR_CHAR) {
                if (runEnd != null && runEnd.getStopIndex() + 1 == t.getStartIndex()) {
                    runEnd = t;
                    return;
                }
                endLexical();
                runStart = runEnd = t;
                return;
            }
            endLexical();
            String message = switch (t.getType()) {
                case CaviLexer.UNTERMINATED_STRING -> "unterminated string: a string ends with '\"' on the same line";
                case CaviLexer.UNTERMINATED_COMMENT -> "unterminated comment: '/*' has no closing '*/'";
                case CaviLexer.BAD_NUMBER -> "'" + clip(t.getText()) + "' is not a number: a number is digits with an"
                        + " optional '.' and exponent (2, 2.5, .5, 1e-3)" + product(t.getText());
                case CaviLexer.NUMBER -> numberRange(t.getText());
                default -> null;
            };
            if (message == null) return;
            int start = t.getStartIndex();
            int end = t.getStopIndex() + 1;
            if (t.getType() == CaviLexer.UNTERMINATED_COMMENT) {
                incomplete = true;
                end = start + 2; // the '/*'
            }
            found.add(Diagnostic.error(file.codePointSpan(start, end), message));
        }

        void callAcrossLines(Token name, Token open) {
            found.add(Diagnostic.error(file.codePointSpan(open.getStartIndex(), open.getStopIndex() + 1),
                    "this '(' starts a line, so it would continue the line before as a call " + clip(name.getText())
                    + "(…); a call's '(' goes on its name's line, and a joint factor is written q(…)"));
        }

        /** Reports the pending run of bad characters, if any. */
        void endLexical() {
            if (runStart == null) return;
            Span at = file.codePointSpan(runStart.getStartIndex(), runEnd.getStopIndex() + 1);
            String text = at.text();
            String message = text.codePointCount(0, text.length()) == 1
                    ? "unexpected character '" + text + "'" : "unexpected characters '" + clip(text) + "'";
            if (text.equals(":")) message += "; a range is written with two dots: 1..n";
            found.add(Diagnostic.error(at, message));
            runStart = runEnd = null;
        }

        /** "; write 2*x for a product" when a number runs into a name. */
        private static String product(String text) {
            int i = 0;
            while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) i++;
            String rest = text.substring(i);
            if (rest.matches("[eE][0-9]*") || i == 0) return "";
            return "; for a product write " + clip(text.substring(0, i)) + "*" + clip(rest);
        }

        /** A NUMBER that is not a finite double, or that loses precision near zero. */
        private static String numberRange(String text) {
            double v = Double.parseDouble(text);
            if (Double.isInfinite(v)) {
                return "the number " + clip(text) + " is too large: numbers are at most about 1.8e308";
            }
            boolean nonZeroDigit = false;
            int e = text.indexOf('e') >= 0 ? text.indexOf('e') : text.indexOf('E');
            for (char c : (e >= 0 ? text.substring(0, e) : text).toCharArray()) if (c >= '1' && c <= '9') nonZeroDigit = true;
            if (nonZeroDigit && Math.abs(v) < Double.MIN_NORMAL) {
                return "the number " + clip(text) + " is too small: a number other than 0 must be at least about 2.2e-308"
                        + " (smaller ones " + (v == 0 ? "round to 0" : "lose precision") + ")";
            }
            return null;
        }

        private String describe(Recognizer<?, ?> recognizer, Token t) {
            switch (t.getType()) {
                case CaviLexer.ERROR_CHAR:
                case CaviLexer.UNTERMINATED_STRING:
                case CaviLexer.UNTERMINATED_COMMENT:
                case CaviLexer.BAD_NUMBER:
                    return null;
                case Token.EOF: {
                    incomplete = true;
                    return "unexpected end of input" + expected(recognizer);
                }
                case CaviLexer.STRING:
                    if (!expects(recognizer, CaviLexer.STRING)) {
                        return "unexpected string " + clip(t.getText()) + ": a string is only a file name after 'from'"
                                + "; write a number without quotes";
                    }
                    return "unexpected string " + clip(t.getText()) + expected(recognizer);
                default:
                    if (isKeyword(t.getType()) && firstOnLine(t) && t.getType() != CaviLexer.FOR) {
                        // 'const K = 3 +' then 'data ...': the line before is what is unfinished
                        return "unexpected '" + t.getText() + "': the statement before it is unfinished"
                                + expected(recognizer);
                    }
                    if (isKeyword(t.getType()) && expects(recognizer, CaviLexer.ID) && !expects(recognizer, CaviLexer.CONST)) {
                        return "'" + t.getText() + "' is a keyword and cannot be a name; choose another name";
                    }
                    return "unexpected '" + clip(t.getText()) + "'" + expected(recognizer);
            }
        }

        private boolean firstOnLine(Token t) {
            String text = file.text();
            for (int i = file.offsetOfCodePoint(t.getStartIndex()) - 1; i >= 0 && text.charAt(i) != '\n'; i--) {
                if (!Character.isWhitespace(text.charAt(i))) return false;
            }
            return true;
        }

        private static boolean isKeyword(int type) {
            return type == CaviLexer.MODEL || type == CaviLexer.CONST || type == CaviLexer.DATA
                    || type == CaviLexer.FROM || type == CaviLexer.FOR || type == CaviLexer.IN;
        }

        private static boolean expects(Recognizer<?, ?> recognizer, int type) {
            try {
                return recognizer instanceof CaviParser p && p.getExpectedTokens().contains(type);
            } catch (RuntimeException ex) {
                return false;
            }
        }

        private static String expected(Recognizer<?, ?> recognizer) {
            if (!(recognizer instanceof CaviParser p)) return "";
            IntervalSet set;
            try {
                set = p.getExpectedTokens();
            } catch (RuntimeException ex) {
                return "";
            }
            List<String> names = new ArrayList<>();
            for (int type : set.toArray()) {
                names.add(type == Token.EOF ? "end of input" : human(type, p.getVocabulary().getDisplayName(type)));
            }
            if (names.isEmpty() || names.size() > 5) return "";
            return names.size() == 1 ? "; expected " + names.get(0)
                    : "; expected one of " + String.join(", ", names);
        }

        /** A token kind in the user's words: the grammar's names (NUMBER, ID) mean nothing to them. */
        private static String human(int type, String display) {
            return switch (type) {
                case CaviLexer.NUMBER -> "a number";
                case CaviLexer.ID -> "a name";
                case CaviLexer.STRING -> "a string";
                default -> display;
            };
        }

        /** ANTLR's line and code-point column to a char offset. */
        private int offsetOf(int line, int col) {
            int start = file.lineStart(line);
            String text = file.line(line);
            int n = text.codePointCount(0, text.length());
            int within = col <= n ? text.offsetByCodePoints(0, col) : text.length() + (col - n);
            return Math.min(start + within, file.text().length());
        }

        @Override
        public void reportAmbiguity(org.antlr.v4.runtime.Parser recognizer, DFA dfa, int startIndex,
                                    int stopIndex, boolean exact, BitSet ambigAlts, ATNConfigSet configs) {}
    }
}
