package org.cavi.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A diagnostic's message is one line of bounded length, whatever the source text it quotes. */
class DiagnosticTest {
    static Span span() { return new Span(new SourceFile("m.vi", "x"), 0, 1); }

    @Test
    void lineBreaksAndLongBlankRunsBecomeOneSpace() {
        assertEquals("x[i] ~ Normal(mu[c[i]], 1) is wrong", Diagnostic.error(span(), "x[i] ~\n    Normal(mu[c[i]],\r\n 1) is wrong").message());
        assertEquals("a  b c", Diagnostic.error(span(), "a  b      c").message());
    }

    @Test
    void aQuotedStatementOf100000BlanksIsShortAndQuick() {
        // the fuzz case 43:7757 (replayed from the corpus, where the harness's 10 s limit catches a slow one):
        // 'x[' then 100,000 blanks, on which the old regex backtracked for seconds
        String quoted = "the variance of x[" + " ".repeat(100_000) + "i] must be positive, not -1";
        Diagnostic d = Diagnostic.error(span(), quoted);
        assertEquals("the variance of x[ i] must be positive, not -1", d.message());
        String long1 = "y".repeat(2000);
        String cut = Diagnostic.error(span(), "unknown name '" + long1 + "'").message();
        assertTrue(cut.length() <= Diagnostic.MAX_MESSAGE && cut.contains(" … ") && cut.startsWith("unknown name 'yyy") && cut.endsWith("yy'"), cut);
    }
}
