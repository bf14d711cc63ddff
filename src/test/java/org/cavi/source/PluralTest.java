package org.cavi.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluralTest {
    @Test
    void countsTakeTheRightForm() {
        assertEquals("1 sweep", Plural.of(1, "sweep"));
        assertEquals("34 sweeps", Plural.of(34, "sweep"));
        assertEquals("0 components", Plural.of(0, "component"));
        assertEquals("1 category", Plural.of(1, "category"));
        assertEquals("3 categories", Plural.of(3, "category"));
        assertEquals("2 probabilities", Plural.of(2, "probability"));
        assertEquals("2.5 values", Plural.of(2.5, "value"));
    }
}
