package org.cavi.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestTest {
    static final List<String> DISTS = List.of("Bernoulli", "Beta", "Categorical", "Dirichlet", "Exponential", "Gamma",
            "MvNormal", "Normal", "Poisson", "StickBreaking", "Wishart");

    @Test
    void nearMissesAreSuggestedAndFarOnesAreNot() {
        assertEquals(Optional.of("Normal"), Suggest.closest("Norml", DISTS));
        assertEquals(Optional.of("Normal"), Suggest.closest("normal", DISTS));
        assertEquals(Optional.of("Gamma"), Suggest.closest("Gmama", DISTS));     // a swap is one edit
        assertEquals(Optional.of("Poisson"), Suggest.closest("Poison", DISTS));
        assertEquals(Optional.empty(), Suggest.closest("Cauchy", DISTS));
        assertEquals(Optional.of("mu"), Suggest.closest("mU", List.of("mu", "sigma", "K")));
        assertEquals(Optional.empty(), Suggest.closest("z", List.of("mu", "sigma")));
        assertEquals(Optional.empty(), Suggest.closest("m", List.of("K", "mu")));   // one letter: any other is as near
        assertEquals("; did you mean 'sigma'?", Suggest.didYouMean("sigam", List.of("mu", "sigma")));
        assertEquals("", Suggest.didYouMean("tau", List.of("mu", "sigma")));
    }

    @org.junit.jupiter.api.Test
    void aVeryLongWordGetsNoSuggestionAndNoHugeTable() {
        String word = "mu".repeat(50_000);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.empty(), Suggest.closest(word, java.util.List.of("mu", word + "x")));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of("sigma"), Suggest.closest("sigme", java.util.List.of("sigma", "mu")));
    }
}
