package org.cavi.plan;

/** Prints a plan for people: factors, updates in order, ELBO terms. */
public final class PlanPrinter {
    private PlanPrinter() {}

    public static String text(CaviPlan plan) {
        StringBuilder out = new StringBuilder();
        out.append("plan for model ").append(plan.model()).append('\n');
        out.append("pattern: ").append(plan.pattern()).append('\n');
        out.append("  (").append(plan.reference()).append(")\n\n");
        java.util.List<String> joint = plan.factors().stream().map(CaviPlan.QFactor::latent).filter(l -> l.contains(",")).toList();
        out.append(joint.isEmpty() ? "variational family (mean-field: one factor per latent)\n"
                : "variational family (structured mean-field: one joint factor for " + joint.stream().map(l -> "q(" + l + ")")
                        .collect(java.util.stream.Collectors.joining(", ")) + ", one factor for each other latent)\n");
        int w = plan.factors().stream().mapToInt(f -> f.latent().length()).max().orElse(0);
        for (CaviPlan.QFactor f : plan.factors()) {
            String lhs = "q(" + f.latent() + ")";
            String rhs = f.fixed() ? "point mass " + f.parameters() : f.family() + "(" + f.parameters() + ")";
            String line = "  " + pad(lhs, w + 3) + " = " + (f.plate().isEmpty() ? rhs : pad(rhs, 28) + "  for " + f.plate());
            out.append(line).append('\n');
        }
        out.append("\nupdates, in order, each sweep\n");
        for (CaviPlan.Update u : plan.updates()) {
            out.append("  ").append(u.step()).append(". ").append(u.latent()).append('\n');
            out.append("       rule: ").append(u.rule()).append('\n');
            for (String eq : u.equations()) out.append("       ").append(eq).append('\n');
        }
        out.append("\nELBO = sum of these terms, every constant included\n");
        int tw = plan.elbo().stream().filter(t -> !t.name().equals("where")).mapToInt(t -> t.name().length()).max().orElse(0);
        for (CaviPlan.ElboTerm t : plan.elbo()) {
            if (t.name().equals("where")) out.append("  ").append(pad("", tw)).append("   where ").append(t.formula()).append('\n');
            else out.append("  ").append(pad(t.name(), tw)).append(" = ").append(t.formula()).append('\n');
        }
        out.append("\nconvergence: stop when |ΔELBO| ≤ tol·|ELBO|; the ELBO never decreases\n");
        return out.toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
