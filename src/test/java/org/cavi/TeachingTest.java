package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cavi.report.Plots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Derivations, their LaTeX, pictures, and the REPL's teaching commands. */
class TeachingTest {
    @TempDir Path tmp;

    static Stream<Path> models() throws IOException { return GoldenTest.goodModels(); }

    /**
     * Each model's derivation in each format is its golden file, src/test/resources/derive/NAME.{txt,md,tex}.
     * To write the goldens anew after a deliberate change (then read the diff):
     * {@code mvn -q -B -o test -Dtest=TeachingTest -Dderive.regenerate=true}.
     */
    @ParameterizedTest
    @MethodSource("models")
    void deriveMatchesItsGoldenOutput(Path model) throws IOException {
        for (String[] format : new String[][] {{"text", ".txt"}, {"markdown", ".md"}, {"latex", ".tex"}}) {
            String name = model.getFileName().toString().replace(".vi", format[1]);
            Path golden = Path.of("src/test/resources/derive", name);
            Cli r = Cli.run("derive", model.toString(), "--format", format[0]);
            assertEquals(0, r.code(), r.err());
            if (Boolean.getBoolean("derive.regenerate")) Files.writeString(golden, r.out());
            assertTrue(Files.exists(golden), "missing " + golden);
            assertEquals(Files.readString(golden), r.out(), golden.toString());
        }
    }

    @Test
    void theFormatIsTextMarkdownOrLatex() {
        assertEquals(Cli.run("derive", "models/gmm.vi").out(), Cli.run("derive", "models/gmm.vi", "--format", "text").out());
        assertEquals(Cli.run("derive", "models/gmm.vi", "--format", "latex").out(), Cli.run("derive", "models/gmm.vi", "--latex").out());
        Cli bad = Cli.run("derive", "models/gmm.vi", "--format", "html");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--format html: expected text, markdown or latex"), bad.err());
        assertTrue(bad.out().isEmpty());
        Cli both = Cli.run("derive", "models/gmm.vi", "--latex", "--format", "markdown");
        assertEquals(2, both.code());
        Cli one = Cli.run("derive", "models/gmm.vi", "--format", "markdown", "--latent", "mu");
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().startsWith("## 2. Update of $q(\\mu_{k})$"), one.out());
        assertTrue(!one.out().contains("ELBO") && !one.out().contains("c_{i})$\n"), one.out());
    }

    /** Outside $…$ and $$…$$ the Markdown is words: every formula, even one inside a sentence, is math. */
    @ParameterizedTest
    @MethodSource("models")
    void everyFormulaIsInMathMode(Path model) {
        String md = Cli.run("derive", model.toString(), "--format", "markdown").out();
        String prose = md.replaceAll("(?s)\\$\\$.*?\\$\\$", " ").replaceAll("\\$[^$\n]+\\$", " ");
        for (String line : prose.lines().toList()) {
            for (String c : new String[] {"=", "_", "^", "Σ", "ψ", "·", "²", "∝", "~", "ᵀ", "Γ", "π", "−", "|", "1/"}) {
                assertTrue(!line.replace("\\_", "").replace("\\|", "|").contains(c) || line.contains("`cavi derive"),
                        model + ": '" + c + "' outside math in: " + line);
            }
        }
        assertEquals(1, md.split("\\$", -1).length % 2, model + ": an odd number of $");
    }

    /** The LaTeX and Markdown show the plan's literal constants simplified, and functions upright. */
    @ParameterizedTest
    @MethodSource("models")
    void theTypesetMathIsSimplified(Path model) {
        for (String format : new String[] {"latex", "markdown"}) {
            String out = Cli.run("derive", model.toString(), "--format", format).out();
            for (String unsimplified : new String[] {"1/1", "{1}{1}", "\\frac{0}", "zeros", "eye(", "inv(", "\\mathit{inv}",
                "\\mathit{log}", "sigma^2", "(sigma", "phi_ik", "mu_k", "s2", "\\cdot 1)", "\\cdot 1 ", "- 0)", "+ 0)", "(0 +", "q*", "ˆ"}) {
                assertTrue(!out.contains(unsimplified), model + " " + format + ": " + unsimplified);
            }
        }
    }

    @Test
    void theSeedsDerivationPointsToThePaper() {
        String out = Cli.run("derive", "models/gmm.vi").out();
        assertTrue(out.contains("Blei, Kucukelbir & McAuliffe (2017), section 3 and Algorithm 2"), out);
        assertTrue(out.contains("phi_ik ∝ exp{E[mu_k]·x_i − E[mu_k²]/2}"));
        assertTrue(out.contains("m_k = Σ_i phi_ik x_i / (1/sigma² + Σ_i phi_ik)"));
        assertTrue(out.contains("s2_k = 1/(1/sigma² + Σ_i phi_ik)"));
        // and cavi's own updates, which reduce to those with prior mean 0 and likelihood variance 1
        assertTrue(out.contains("s2[k] = 1 / (1/(sigma^2) + N[k]/1)"));
        assertTrue(out.contains("m[k]  = s2[k] · (0/(sigma^2) + S[k]/1)"));
        Cli one = Cli.run("derive", "models/gmm.vi", "--latent", "mu");
        assertTrue(one.out().startsWith("2. mu[k]"), one.out());
        assertEquals(2, Cli.run("derive", "models/gmm.vi", "--latent", "nope").code());
    }

    /** pdflatex, and the Latin Modern fonts the document uses (Debian's lmodern). */
    private static boolean hasPdflatex() {
        return runs("pdflatex", "--version") && runs("kpsewhich", "lmodern.sty");
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void theLatexCompiles(Path model) throws Exception {
        // CI installs pdflatex (.ci/run) and must run this; elsewhere it runs where pdflatex is installed
        if (System.getenv("CI") == null) assumeTrue(hasPdflatex(), "pdflatex or lmodern is not installed");
        Cli r = Cli.run("derive", model.toString(), "--latex");
        assertEquals(0, r.code(), r.err());
        Path tex = tmp.resolve("derivation.tex");
        Files.writeString(tex, r.out());
        Process p = new ProcessBuilder("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "derivation.tex")
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pdflatex took too long");
        assertEquals(0, p.exitValue(), log);
        assertTrue(Files.size(tmp.resolve("derivation.pdf")) > 1000);
    }

    @Test
    void plotsAreImagesOfTheExpectedSize() throws IOException {
        for (String model : new String[] {"models/gmm.vi", "models/bishop-gmm.vi", "models/gamma-poisson.vi"}) {
            Path png = tmp.resolve("fit.png");
            Cli r = Cli.run("run", model, "--restarts", "2", "--plot", png.toString());
            assertEquals(0, r.code(), r.err());
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(Plots.WIDTH, image.getWidth(), model);
            assertEquals(Plots.HEIGHT, image.getHeight(), model);
            Files.delete(png);
        }
        Path svg = tmp.resolve("fit.svg");
        assertEquals(0, Cli.run("run", "models/gmm.vi", "--restarts", "1", "--plot", svg.toString()).code());
        org.w3c.dom.Element root;
        try {
            var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            // never fetch the DTD the SVG names: the test reads the file alone
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            root = factory.newDocumentBuilder().parse(svg.toFile()).getDocumentElement();
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new AssertionError("the SVG is not well-formed XML: " + e.getMessage());
        }
        assertEquals("svg", root.getTagName());
        assertEquals(Plots.WIDTH, Double.parseDouble(root.getAttribute("width")));
        assertEquals(Plots.HEIGHT, Double.parseDouble(root.getAttribute("height")));
        Cli bad = Cli.run("run", "models/gmm.vi", "--plot", tmp.resolve("fit.gif").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("must end in .png or .svg"));
    }

    @Test
    void theRunEndsWithASparkline() {
        String out = Cli.run("run", "models/gmm.vi", "--restarts", "1").out();
        assertTrue(out.lines().anyMatch(l -> l.startsWith("ELBO ▁") && l.contains("█")), out);
    }

    @Test
    void replTeachingCommands() {
        Path png = tmp.resolve("repl.png");
        ReplTest.Transcript t = ReplTest.script(":load models/gmm.vi", ":trace", ":plot", ":step", ":step", ":trace", ":plot",
                ":plot " + png, ":derive mu", ":derive c", ":derive nothing");
        assertTrue(t.out().contains("no sweeps yet"), t.out());
        assertTrue(t.out().contains("nothing fitted yet"), t.out());
        assertTrue(t.out().contains("what this sweep changed, old → new:"), t.out());
        assertTrue(t.out().matches("(?s).*\\d\\.\\d{6} → \\d\\.\\d{6}.*"), t.out());
        assertTrue(t.out().contains("ELBO ▁█"), t.out());
        assertTrue(t.out().contains("• fitted mixture density"), t.out());
        assertTrue(t.out().contains("plot written to"), t.out());
        assertTrue(Files.exists(png));
        assertTrue(t.out().contains("2. mu[k]") && t.out().contains("1. c[i]"), t.out());
        assertTrue(t.err().contains("the plan updates no latent nothing"), t.err());
    }
}
