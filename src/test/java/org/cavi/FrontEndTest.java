package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cavi.ast.Expr;
import org.cavi.ast.Program;
import org.cavi.ast.Stmt;
import org.cavi.parse.Parser;
import org.cavi.source.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front end (issue 12): comments, numbers, positions, nesting, long lines, encodings, order. */
class FrontEndTest {
    @TempDir Path tmp;

    private static String gmm() throws IOException {
        return Files.readString(Path.of("models/gmm.vi"));
    }

    /** A model file in the temporary directory; its data path made absolute. */
    private Path model(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        String data = Path.of("models/data/gmm-seed.csv").toAbsolutePath().toString();
        Files.writeString(p, text.replace("\"data/gmm-seed.csv\"", "\"" + data + "\""));
        return p;
    }

    private static Parser.Result<Program> parse(String text) {
        return Parser.parseProgram(new SourceFile("t.vi", text));
    }

    private static double number(String literal) {
        Parser.Result<Expr> r = Parser.parseExpr(new SourceFile("e", literal));
        assertTrue(r.ok(), () -> literal + ": " + r.errors());
        return ((Expr.Num) r.value().orElseThrow()).value();
    }

    private static String firstError(String text) {
        Parser.Result<Program> r = parse(text);
        assertFalse(r.ok(), text);
        return r.errors().get(0).render();
    }

    @Test
    void blockCommentsAreSkipped() throws IOException {
        String text = "/* a model\n   over two lines */\n" + gmm().replace("const K = 5", "const K = /* a /* b */ 5")
                + "/**/ /***/ /* ** / * */\n";
        Path p = model("comments.vi", text);
        Cli r = Cli.run("check", p.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void anUnterminatedCommentIsReportedAtItsStart() {
        String err = firstError("const K = 5\nconst a = 1 /* no end\n  const b = 2\n");
        assertTrue(err.startsWith("t.vi:2:13: error: unterminated comment"), err);
        assertTrue(parse("const K = 5 /* no end").incomplete());
    }

    @Test
    void numbersMayStartOrEndWithAPoint() {
        assertEquals(0.5, number(".5"));
        assertEquals(5.0, number("5."));
        assertEquals(5e3, number("5.e3"));
        assertEquals(0.25, number(".25e0"));
        assertEquals(2.5e-5, number("2.5e-5"));
        assertTrue(parse("mu[k] ~ Normal(0, 1) for k in 1..5").ok());
        assertTrue(parse("mu[k] ~ Normal(.5, 1.) for k in 1..50").ok());
    }

    @Test
    void lettersAfterANumberAreAnError() {
        for (String s : List.of("1d", "2f", "1e", "3x", "2.5D")) {
            Parser.Result<Expr> r = Parser.parseExpr(new SourceFile("e", s));
            assertFalse(r.ok(), s);
            assertTrue(r.errors().get(0).render().startsWith("e:1:1: error: '" + s + "' is not a number"), r.errors().toString());
        }
    }

    @Test
    void numbersOutOfRangeAreRefused() {
        assertTrue(firstError("const a = 1e400").startsWith("t.vi:1:11: error: the number 1e400 is too large"));
        assertTrue(firstError("const a = 1e-320").startsWith("t.vi:1:11: error: the number 1e-320 is too small"));
        assertTrue(firstError("const a = 1e-400").startsWith("t.vi:1:11: error: the number 1e-400 is too small"));
        assertEquals(0.0, number("0e-400"));
        assertEquals(Double.MIN_NORMAL, number("2.2250738585072014E-308"));
    }

    @Test
    void anAstralCharacterCountsAsOneColumn() throws IOException {
        Path p = model("astral.vi", "// 𝛍 and 😀: component means\n" + gmm().replace("// component means", "// 𝛍 😀 means"));
        Cli ok = Cli.run("check", p.toString());
        assertEquals(0, ok.code(), ok.err());
        String err = firstError("const a = 1 // 😀\nconst 😀 = 1 # 2\n");
        assertTrue(err.startsWith("t.vi:2:7: error: unexpected character '😀'"), err);
        err = firstError("data x[n] from \"😀😀\" # 2");
        assertTrue(err.startsWith("t.vi:1:21: error: unexpected character '#'"), err);
        assertTrue(err.endsWith("  data x[n] from \"😀😀\" # 2\n" + " ".repeat(22) + "^\n"), err);
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        Path p = model("bom.vi", "\uFEFF" + gmm());
        Cli r = Cli.run("check", p.toString());
        assertEquals(0, r.code(), r.err());
        String err = firstError("\uFEFFconst a = #");
        assertTrue(err.startsWith("t.vi:1:11: error: unexpected character '#'"), err);
    }

    @Test
    void deepNestingIsALocatedErrorNotAStackOverflow() throws IOException {
        for (String e : List.of("(".repeat(100_000) + "1" + ")".repeat(100_000), "-".repeat(100_000) + "1",
                "2" + "^2".repeat(100_000), "1" + "+1".repeat(100_000), "[".repeat(100_000) + "1" + "]".repeat(100_000),
                "sqrt(".repeat(50_000) + "1" + ")".repeat(50_000))) {
            Path p = model("deep.vi", gmm().replace("const K = 5", "const K = " + e));
            Cli r = Cli.run("check", p.toString());
            assertEquals(65, r.code(), r.err().substring(0, Math.min(500, r.err().length())));
            assertTrue(r.err().contains(":4:"), r.err().substring(0, Math.min(500, r.err().length())));
            assertTrue(r.err().contains("nested more than 200 deep"), r.err().substring(0, Math.min(500, r.err().length())));
            assertTrue(r.err().length() < 5_000, "" + r.err().length());
            Cli set = Cli.run("check", "models/gmm.vi", "--set", "K=" + e);
            assertEquals(2, set.code());
            assertTrue(set.err().contains("nested more than 200 deep"));
            assertTrue(set.err().length() < 5_000, "" + set.err().length());
        }
        // just inside the limit: every phase copes
        Path p = model("deep-ok.vi", gmm().replace("const K = 5", "const K = " + "(".repeat(190) + "5" + ")".repeat(190))
                .replace("const sigma = 1", "const sigma = " + "-".repeat(190) + "1"));
        Cli r = Cli.run("check", p.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aLongRunOfBadCharactersIsOneShortError() {
        Parser.Result<Program> r = parse("const a = 1 " + "#".repeat(100_000) + " const b = 2");
        assertEquals(1, r.errors().size(), "" + r.errors().size());
        String out = r.errors().get(0).render();
        assertTrue(out.length() < 1_000, "" + out.length());
        assertTrue(out.startsWith("t.vi:1:13: error: unexpected characters '####"), out);
        r = parse("const a = 1 " + "# ".repeat(50_000));
        String all = org.cavi.source.Diagnostics.render(r.errors());
        assertTrue(all.length() < 50_000, "" + all.length());
    }

    @Test
    void aLongLineIsCutAroundTheCaret() {
        String text = "const a = " + "1 + ".repeat(40) + "#" + " + 1".repeat(10_000);
        String out = firstError(text);
        String[] lines = out.split("\n");
        assertTrue(lines[1].length() < 200, lines[1]);
        int caret = lines[2].indexOf('^');
        assertEquals('#', lines[1].charAt(caret), out);
    }

    @Test
    void dataMayBeDeclaredAfterItsLikelihood() throws IOException {
        String text = gmm();
        String decl = "data x[n] from \"data/gmm-seed.csv\"   // n observations; n is set by the data\n";
        assertTrue(text.contains(decl));
        Path p = model("order.vi", text.replace(decl, "") + decl);
        Cli r = Cli.run("run", p.toString(), "--restarts", "1", "--json");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aFileThatIsNotUtf8SaysWhere() throws IOException {
        Path p = tmp.resolve("latin1.vi");
        byte[] head = "const K = 5\n// caf".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\nconst a = 1\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xE9;
        System.arraycopy(tail, 0, all, head.length + 1, tail.length);
        Files.write(p, all);
        Cli r = Cli.run("check", p.toString());
        assertEquals(65, r.code());
        assertTrue(r.err().startsWith(p + ":2:7: error: the file is not UTF-8 text: byte 0xE9 at offset 18"), r.err());
        assertFalse(r.err().contains("Input length"));
    }

    @Test
    void aHugeRepIsALocatedErrorNotACrash() {
        for (String v : List.of("rep([1,2,3],1e9)", "rep(1, 3e9)", "rep(rep([1,2],1e5), 1e5)")) {
            Cli r = Cli.run("check", "models/gmm.vi", "--set", "sigma=" + v);
            assertEquals(65, r.code(), r.err());
            assertTrue(r.err().contains("error: rep would make"), r.err());
        }
    }

    @Test
    void theTildeOfALikelihoodIsNotALatent() {
        Parser.Result<Program> r = parse("x[i] ~ Normal(0, 1) for i in 1..n\ndata x[n]\n");
        assertTrue(r.ok());
        assertTrue(r.value().orElseThrow().statements().get(0) instanceof Stmt.Tilde);
    }
}
