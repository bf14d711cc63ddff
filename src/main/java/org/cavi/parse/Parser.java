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
        CaviParser parser = new CaviParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        parser.setErrorHandler(new NoInventedTokens());
        C tree = entry.apply(parser);
        List<Diagnostic> found = new ArrayList<>(errors.found);
        found.sort(java.util.Comparator.comparingInt(d -> d.span().start()));
        found = List.copyOf(found);
        return new Result<>(found.isEmpty() ? Optional.of(build.apply(new AstBuilder(file), tree)) : Optional.empty(), found,
                errors.incomplete);
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
                start = Math.min(t.getStartIndex(), file.text().length());
                end = Math.max(start + 1, t.getStopIndex() + 1);
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
            }
            if (start == lastOffset) return; // one message per place
            lastOffset = start;
            found.add(Diagnostic.error(file.span(start, end), message));
        }

        /** Tokens that stand for lexical errors are reported once, whether or not the parser reaches them. */
        void lexical(Token t) {
            String message = switch (t.getType()) {
                case CaviLexer.ERROR_CHAR -> "unexpected character '" + t.getText() + "'";
                case CaviLexer.UNTERMINATED_STRING -> "unterminated string: a string ends with '\"' on the same line";
                case CaviLexer.UNTERMINATED_COMMENT -> "unterminated comment: '/*' has no closing '*/'";
                default -> null;
            };
            if (message == null) return;
            if (t.getType() == CaviLexer.UNTERMINATED_COMMENT) incomplete = true;
            found.add(Diagnostic.error(file.span(t.getStartIndex(), t.getStopIndex() + 1), message));
        }

        private String describe(Recognizer<?, ?> recognizer, Token t) {
            switch (t.getType()) {
                case CaviLexer.ERROR_CHAR:
                case CaviLexer.UNTERMINATED_STRING:
                case CaviLexer.UNTERMINATED_COMMENT:
                    return null;
                case Token.EOF: {
                    incomplete = true;
                    return "unexpected end of input" + expected(recognizer);
                }
                default:
                    return "unexpected '" + t.getText() + "'" + expected(recognizer);
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
                names.add(type == Token.EOF ? "end of input" : p.getVocabulary().getDisplayName(type));
            }
            if (names.isEmpty() || names.size() > 5) return "";
            return names.size() == 1 ? "; expected " + names.get(0)
                    : "; expected one of " + String.join(", ", names);
        }

        private int offsetOf(int line, int col) {
            int offset = 0;
            for (int l = 1; l < line; l++) offset += file.line(l).length() + 1;
            return Math.min(offset + col, file.text().length());
        }

        @Override
        public void reportAmbiguity(org.antlr.v4.runtime.Parser recognizer, DFA dfa, int startIndex,
                                    int stopIndex, boolean exact, BitSet ambigAlts, ATNConfigSet configs) {}
    }
}
