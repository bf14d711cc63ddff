package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cavi.driver.Driver;
import org.cavi.driver.FitService;
import org.cavi.driver.Outcome;
import org.cavi.infer.CaviState;
import org.cavi.plan.CaviPlan;
import org.cavi.source.SourceFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ELBO term by term: after every sweep, for every model (and with its means fixed), the runtime's
 * terms are the plan's, named and in the plan's order, and each evaluated apart from the others they
 * add up to the sweep's ELBO, which sums them gathered.
 */
class ElboTermsTest {
    static Stream<Arguments> models() throws Exception {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("models"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".vi")).sorted().toList()) out.add(Arguments.of(p.toString(), List.of()));
        }
        out.add(Arguments.of("models/gmm-precisions.vi", List.of("mu=[-5,0,6]")));
        out.add(Arguments.of("models/gmm-normal-gamma.vi", List.of("mu=[-5,0,6]")));
        out.add(Arguments.of("models/normal-mean-precision.vi", List.of("mu=2")));
        out.add(Arguments.of("models/bishop-gmm.vi", List.of("mu=[[-4,-2],[0,3],[1,-5],[4,-1]]")));
        out.add(Arguments.of("models/gmm-normal-gamma.vi", List.of("a0=1e-300", "b0=1e300")));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void theTermsAreThePlansAndAddUpToTheElbo(String model, List<String> sets) throws Exception {
        Path file = Path.of(model);
        Driver.Request req = new Driver.Request(new SourceFile(model, Files.readString(file)), file.toAbsolutePath().getParent(),
                Map.of(), sets, true);
        Outcome<Driver.Compiled> c = Driver.compile(req);
        assertTrue(c.ok(), () -> c.problem().orElseThrow().render());
        CaviPlan plan = c.get().plan();
        Outcome<FitService.Prepared> p = FitService.prepare(c.get(), req, Path.of("").toAbsolutePath());
        assertTrue(p.ok(), () -> p.problem().orElseThrow().render());
        CaviState s = FitService.start(p.get(), 1, 1).get();
        // the plan's terms, without its "where" lines (the expectations the terms use)
        List<String> names = plan.elbo().stream().map(CaviPlan.ElboTerm::name).filter(n -> !n.equals("where")).toList();
        for (int sweep = 1; sweep <= 4; sweep++) {
            double elbo = s.sweep();
            Map<String, Double> terms = s.elboTerms();
            assertEquals(names, List.copyOf(terms.keySet()), "sweep " + sweep);
            double sum = 0, magnitude = 0;
            for (double t : terms.values()) {
                assertTrue(Double.isFinite(t), terms.toString());
                sum += t;
                magnitude += Math.abs(t);
            }
            // gathered or not, the sum is the same to the rounding of its largest terms
            assertEquals(elbo, sum, 1e-12 * magnitude + 1e-9, "sweep " + sweep + ": " + terms);
        }
    }
}
