package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.cavi.ast.Program;
import org.cavi.ast.Stmt;
import org.cavi.driver.Driver;
import org.cavi.driver.Outcome;
import org.cavi.driver.Problem;
import org.cavi.parse.Parser;
import org.cavi.source.SourceFile;
import org.junit.jupiter.api.Test;

/**
 * A file with errors of both phases gets both: its name errors and the conjugacy errors of the
 * statements that checked. The conjugacy errors reported beside name errors must be real ones:
 * each is an error the same file reports once its name errors are gone, so no echo of a name
 * error can pass for one.
 */
class PhasesTogetherTest {
    private static final List<String> PRIORS = List.of("Normal", "Gamma", "Beta");

    /**
     * The errors of a source, as "LINE: message" (the column is left out: the bad prior's name,
     * a letter or two longer or shorter, moves the columns of the later errors on its line).
     */
    private static Set<String> errors(String text) {
        Driver.Request req = new Driver.Request(new SourceFile("m.vi", text), Path.of("models"), Map.of(), List.of(), false);
        Outcome<Driver.Compiled> out = Driver.compile(req);
        Set<String> lines = new LinkedHashSet<>();
        if (out.problem().orElse(null) instanceof Problem.SourceErrors se) {
            se.diagnostics().forEach(d -> lines.add(d.span().line() + ": " + d.message()));
        }
        return lines;
    }

    private static String replace(String text, int start, int end, String with) {
        return text.substring(0, start) + with + text.substring(end);
    }

    private static Program parse(String text) {
        return Parser.parseProgram(new SourceFile("m.vi", text)).value().orElseThrow();
    }

    @Test
    void conjugacyErrorsBesideNameErrorsAreTheFilesOwn() throws IOException {
        List<Path> models;
        try (Stream<Path> s = Files.list(Path.of("models"))) {
            models = s.filter(p -> p.toString().endsWith(".vi")).sorted().toList();
        }
        int together = 0;
        int cases = 0;
        for (Path model : models) {
            String good = Files.readString(model);
            List<Stmt> stmts = parse(good).statements();
            for (Stmt s : stmts) {
                if (!(s instanceof Stmt.Tilde prior) || !PRIORS.contains(prior.dist().name())) continue;
                for (String other : PRIORS) {
                    if (other.equals(prior.dist().name())) continue;
                    // a prior outside the rules: the file checks, and its conjugacy errors are these
                    String badPrior = replace(good, prior.dist().nameSpan().start(), prior.dist().nameSpan().end(), other);
                    Set<String> conjugacy = errors(badPrior);
                    if (conjugacy.isEmpty()) continue;
                    List<Stmt> badStmts = parse(badPrior).statements();
                    for (int t = 0; t < badStmts.size(); t++) {
                        if (stmts.get(t) == s) continue;
                        List<String> brokenBoth = nameErrors(badPrior, badStmts.get(t));
                        List<String> brokenNames = nameErrors(good, stmts.get(t));
                        for (int v = 0; v < brokenBoth.size(); v++) {
                            String broken = brokenBoth.get(v);
                            Set<String> nameOnly = errors(brokenNames.get(v));
                            Set<String> both = errors(broken);
                            cases++;
                            assertTrue(both.containsAll(nameOnly), () -> "the name errors are lost:\n" + broken + "\n" + both);
                            List<String> extra = new ArrayList<>(both);
                            extra.removeAll(nameOnly);
                            for (String e : extra) {
                                assertTrue(conjugacy.contains(e), () -> "not an error of the file's own:\n" + e
                                        + "\nin\n" + broken + "\nits conjugacy errors: " + conjugacy);
                            }
                            if (!extra.isEmpty()) together++;
                        }
                    }
                }
            }
        }
        assertTrue(cases > 250, "cases: " + cases); // 298 today: the mutations are not vacuous
        // the point of the change: many of them report errors of both phases
        System.out.println("PhasesTogetherTest: " + together + " of " + cases + " report errors of both phases");
        assertTrue(together > cases / 10, together + " of " + cases);
    }

    /**
     * Variants of {@code text} with a name error in statement {@code s}: an unknown name in an
     * argument or a value, an unknown distribution.
     */
    private static List<String> nameErrors(String text, Stmt s) {
        List<String> out = new ArrayList<>();
        if (s instanceof Stmt.Tilde t && !t.dist().args().isEmpty()) {
            out.add(replace(text, t.dist().args().get(0).span().start(), t.dist().args().get(0).span().start(), "zz + "));
        }
        if (s instanceof Stmt.Tilde t) {
            out.add(replace(text, t.dist().nameSpan().start(), t.dist().nameSpan().start(), "Q"));
        }
        if (s instanceof Stmt.ConstDecl c) {
            out.add(replace(text, c.value().span().start(), c.value().span().end(), "zz"));
        }
        return out;
    }

    @Test
    void theCataloguesTwoPhaseModelReportsBoth() throws IOException {
        Set<String> errs = errors(Files.readString(Path.of("models/bad/two-phases.vi")));
        assertEquals(2, errs.size(), errs.toString());
    }
}
