package org.cavi.source;

/** A count with its noun, singular or plural as the count asks: "1 sweep", "2 sweeps", "0 categories". */
public final class Plural {
    private Plural() {}

    public static String of(double count, String noun) {
        String n = count == Math.rint(count) && Math.abs(count) < 1e15 ? Long.toString((long) count) : Double.toString(count);
        return n + " " + (count == 1 ? noun : plural(noun));
    }

    /** The noun with its indefinite article: "a Gamma", "an Exponential". */
    public static String withArticle(String noun) {
        return ("AEIOUaeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    static String plural(String noun) {
        if (noun.endsWith("y") && !noun.endsWith("ay") && !noun.endsWith("ey")) return noun.substring(0, noun.length() - 1) + "ies";
        if (noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("ch")) return noun + "es";
        return noun + "s";
    }
}
