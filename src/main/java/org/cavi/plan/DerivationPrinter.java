package org.cavi.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Prints the derivation of a plan's updates: plain text with Unicode mathematics, or a
 * complete LaTeX document of the same lines.
 */
public final class DerivationPrinter {
    private DerivationPrinter() {}

    /** The derivations whose latent (or one of whose block's latents) is {@code name}; all when empty. */
    public static List<CaviPlan.Derivation> select(CaviPlan plan, Optional<String> name) {
        if (name.isEmpty()) return plan.derivations();
        return plan.derivations().stream().filter(d -> java.util.Arrays.stream(d.latent().split(",\\s*"))
                .anyMatch(l -> l.equals(name.get()) || l.replaceAll("\\[.*", "").equals(name.get()))).toList();
    }

    public static String text(CaviPlan plan, Optional<String> name) {
        StringBuilder out = new StringBuilder();
        if (name.isEmpty()) {
            out.append("derivation of the CAVI updates of model ").append(plan.model()).append('\n');
            out.append("pattern: ").append(plan.pattern()).append("\n\n");
        }
        for (CaviPlan.Derivation d : select(plan, name)) {
            out.append(d.step()).append(". ").append(d.latent()).append('\n');
            out.append("   complete conditional\n");
            for (String c : d.conditional()) out.append("     ").append(c).append('\n');
            out.append("   exponential family: ").append(d.family()).append(", sufficient statistics ").append(d.stats()).append('\n');
            out.append("   natural parameters, summed over the factors\n");
            for (String nat : d.natural()) out.append("     ").append(nat).append('\n');
            out.append("   update\n");
            for (String u : d.update()) out.append("     ").append(u).append('\n');
            if (!d.note().isEmpty()) out.append("   reference: ").append(d.note()).append('\n');
            out.append('\n');
        }
        if (name.isEmpty()) {
            out.append("ELBO = sum of these terms, every constant included\n");
            for (CaviPlan.ElboTerm t : plan.elbo()) {
                out.append("  ").append(t.name().equals("where") ? "  where " + t.formula() : t.name() + " = " + t.formula()).append('\n');
            }
        }
        return out.toString();
    }

    /** The ways the typeset derivation is wrapped: LaTeX or Markdown (the math is the same). */
    private interface Style {
        String inline(String tex);

        String prose(String text);

        String display(String tex);

        String heading(int level, String content);

        String label(String name);

        String items(List<String> items);

        /** The model's latents, which are formulas wherever they appear. */
        default Set<String> names() {
            return Set.of();
        }

        default Style naming(Set<String> names) {
            Style base = this;
            return new Style() {
                @Override public String inline(String tex) { return base.inline(tex); }
                @Override public String prose(String text) { return base.prose(text); }
                @Override public String display(String tex) { return base.display(tex); }
                @Override public String heading(int level, String content) { return base.heading(level, content); }
                @Override public String label(String name) { return base.label(name); }
                @Override public String items(List<String> items) { return base.items(items); }
                @Override public Set<String> names() { return Set.copyOf(names); }
            };
        }
    }

    private static Set<String> latents(CaviPlan plan) {
        Set<String> out = new java.util.HashSet<>();
        for (CaviPlan.QFactor f : plan.factors()) for (String l : f.latent().split(",")) out.add(l.strip().replaceAll("\\[.*", ""));
        return out;
    }

    private static final Style LATEX = new Style() {
        @Override public String inline(String tex) { return "$" + tex + "$"; }
        @Override public String prose(String text) { return escape(text); }
        @Override public String display(String tex) { return "\\[\n" + tex + "\n\\]\n"; }
        @Override public String heading(int level, String content) {
            return (level == 2 ? "\\section*{" : "\\subsection*{") + content + "}\n";
        }
        @Override public String label(String name) { return "\\paragraph{" + name + ".}\n"; }
        @Override public String items(List<String> items) {
            StringBuilder out = new StringBuilder("\\begin{itemize}\n");
            for (String i : items) out.append("\\item ").append(i).append('\n');
            return out.append("\\end{itemize}\n").toString();
        }
    };

    private static final Style MARKDOWN = new Style() {
        @Override public String inline(String tex) { return "$" + tex + "$"; }
        @Override public String prose(String text) { return markdownEscape(text); }
        // $$ on lines of their own: KaTeX, MathJax (GitHub) and MyST (Jupyter Book) all read it as display math
        @Override public String display(String tex) { return "\n$$\n" + tex + "\n$$\n\n"; }
        @Override public String heading(int level, String content) { return "#".repeat(level) + " " + content + "\n\n"; }
        @Override public String label(String name) { return "**" + name + ".**\n"; }
        @Override public String items(List<String> items) {
            StringBuilder out = new StringBuilder("\n");
            for (String i : items) out.append("- ").append(i).append('\n');
            return out.append('\n').toString();
        }
    };

    /**
     * A complete LaTeX document (pdflatex) with the derivation typeset: every formula in math
     * mode, each update boxed, and the ELBO both as E[log p] + H[q] and as E[log-likelihood] − Σ KL.
     */
    public static String latex(CaviPlan plan) {
        return latex(plan, Optional.empty());
    }

    /** The LaTeX document, with only the update of latent {@code name} when one is given. */
    public static String latex(CaviPlan plan, Optional<String> name) {
        StringBuilder out = new StringBuilder();
        out.append("\\documentclass[10pt]{article}\n")
           .append("\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n\\usepackage{amsmath,amssymb}\n")
           .append("\\usepackage[margin=2cm,landscape]{geometry}\n");
        // the prose may still hold a character the math did not take: set it, never fail on it
        for (String[] m : UNICODE) {
            out.append("\\DeclareUnicodeCharacter{").append(m[0]).append("}{").append(m[1]).append("}\n");
        }
        out.append("\\setlength{\\parindent}{0pt}\n\\raggedright\n\\allowdisplaybreaks\n")
           .append("\\title{Derivation of the CAVI updates of model ").append(escape(plan.model())).append("}\n")
           .append("\\author{generated by cavi from the conjugacy rules of its plan}\n\\date{}\n")
           .append("\\begin{document}\n\\maketitle\n")
           .append("Pattern: ").append(mixed(plan.pattern(), LATEX)).append(".\\\\\n")
           .append("Reference: ").append(mixed(plan.reference(), LATEX)).append(".\n\n");
        body(plan, name, LATEX.naming(latents(plan)), out);
        return out.append("\\end{document}\n").toString();
    }

    /**
     * The derivation as Markdown with $…$ and $$…$$ math, for GitHub, Jupyter Book (MyST) and any
     * KaTeX or MathJax page: the same content as the LaTeX document.
     */
    public static String markdown(CaviPlan plan, Optional<String> name) {
        StringBuilder out = new StringBuilder();
        if (name.isEmpty()) {
            out.append("# Derivation of the CAVI updates of model ").append(markdownEscape(plan.model())).append("\n\n")
               .append("Pattern: ").append(mixed(plan.pattern(), MARKDOWN)).append(".\n\n")
               .append("Reference: ").append(mixed(plan.reference(), MARKDOWN)).append(".\n\n")
               .append("Generated by `cavi derive --format markdown` from the conjugacy rules of the plan. ")
               .append("Every expectation is under q; each boxed equation is an update the plan runs.\n\n");
        }
        body(plan, name, MARKDOWN.naming(latents(plan)), out);
        return out.toString().replaceAll("\n{3,}", "\n\n");
    }

    private static void body(CaviPlan plan, Optional<String> name, Style s, StringBuilder out) {
        for (CaviPlan.Derivation d : select(plan, name)) {
            out.append(s.heading(2, d.step() + ". Update of " + s.inline(Typesetter.math("q(" + d.latent() + ")"))));
            out.append(s.label("Complete conditional"));
            List<String> items = new ArrayList<>();
            for (String c : d.conditional()) {
                String line = c.strip();
                if (line.startsWith("log q*")) {
                    if (!items.isEmpty()) out.append(s.items(items));
                    items.clear();
                    out.append(formulaWithNote(line, s));
                } else {
                    items.add(mixed(line, s));
                }
            }
            if (!items.isEmpty()) out.append(s.items(items));
            out.append(s.label("Exponential family")).append(mixed(d.family(), s)).append(", with sufficient statistics ")
               .append(mixed(d.stats(), s)).append(". Natural parameters, summed over the factors:\n");
            List<String> natural = new ArrayList<>();
            for (String n : d.natural()) {
                String line = n.strip();
                int colon = line.indexOf(": ");
                if (line.startsWith("from ") && colon > 0) {
                    natural.add(mixed(line.substring(0, colon), s) + ": " + mixed(line.substring(colon + 2), s));
                } else {
                    natural.add(mixed(line, s));
                }
            }
            out.append(s.items(natural));
            out.append(s.label("Update"));
            update(d.update(), s, out);
            if (!d.note().isEmpty()) out.append(s.label("Reference")).append(mixed(d.note(), s)).append(".\n\n");
        }
        if (name.isEmpty()) elbo(plan, s, out);
    }

    /** The update's equations in one box; its sentences after the box. */
    private static void update(List<String> lines, Style s, StringBuilder out) {
        List<String> rows = new ArrayList<>();
        List<String> prose = new ArrayList<>();
        for (String u : lines) {
            String line = u.strip();
            String plate = "";
            int forAt = line.indexOf("   for ");
            if (forAt > 0) {
                plate = line.substring(forAt + 3).strip();
                line = line.substring(0, forAt).strip();
            }
            if (!isFormula(line, s.names())) {
                prose.add(mixed(u.strip(), s));
                continue;
            }
            StringBuilder row = new StringBuilder();
            String[] equations = line.split(",   ");
            for (int e = 0; e < equations.length; e++) {
                String tex = Typesetter.math(equations[e].strip());
                row.append(e == 0 ? tex.replaceFirst(" ?(=|\\\\propto) ?", " &$1 ") : ",\\quad " + tex);
            }
            if (!plate.isEmpty()) {
                String over = plate.replaceFirst("^for ", "");
                // beside a long equation the plate would leave the page: it gets a row of its own
                String gap = row.length() > 200 ? " \\\\\n&\\qquad " : "\\qquad ";
                if (plate.startsWith("for ") && isFormula(over, s.names())) row.append(gap).append("\\text{for } ").append(Typesetter.math(over));
                else prose.add(mixed(plate, s));
            }
            rows.add(row.toString());
        }
        if (!rows.isEmpty()) {
            out.append(s.display("\\boxed{\\begin{aligned}\n" + String.join(" \\\\\n", rows) + "\n\\end{aligned}}"));
        }
        for (String p : prose) out.append(p).append("\n\n");
    }

    /** Whether a line (or a plate "for i in 1..n") is a formula and nothing else. */
    private static boolean isFormula(String line, Set<String> names) {
        List<Typesetter.Segment> segs = Typesetter.segments(line, names);
        return segs.size() == 1 && segs.get(0) instanceof Typesetter.Math;
    }

    /** A formula in display, and its trailing "   (note)" as prose. */
    private static String formulaWithNote(String line, Style s) {
        int note = line.indexOf("   (");
        String formula = note > 0 ? line.substring(0, note) : line;
        String out = s.display(Typesetter.math(formula.strip()));
        if (note > 0) out += mixed(line.substring(note).strip(), s) + "\n\n";
        return out;
    }

    /** A line of prose and formulas, each formula in math mode. */
    private static String mixed(String line, Style s) {
        StringBuilder out = new StringBuilder();
        for (Typesetter.Segment seg : Typesetter.segments(line, s.names())) {
            if (seg instanceof Typesetter.Math m) out.append(s.inline(m.latex()));
            else out.append(s.prose(((Typesetter.Prose) seg).text()));
        }
        return out.toString().strip();
    }

    private static void elbo(CaviPlan plan, Style s, StringBuilder out) {
        ElboForms forms = ElboForms.of(plan);
        out.append(s.heading(2, "The ELBO"));
        out.append(s.prose("Every expectation is under q, and every constant is included. "
                + "As the expected log joint density plus the entropy of q:")).append('\n');
        List<String> rows = new ArrayList<>();
        for (CaviPlan.ElboTerm t : plan.elbo()) {
            if (t.name().equals("where")) continue;
            rows.add(brace(Typesetter.math(t.name()), label(t, forms)));
        }
        out.append(s.display(sum("\\mathcal{L}(q)", rows)));
        out.append(s.prose("where")).append('\n');
        List<String> defs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (CaviPlan.ElboTerm t : plan.elbo()) {
            String line = t.name().equals("where") ? t.formula() : t.name() + " = " + t.formula();
            int note = line.indexOf("   (");
            if (note > 0) {
                String[] defined = line.substring(0, note).split(",  ");
                String named = defined[defined.length - 1].split(" = ")[0].strip();
                notes.add(s.prose("In ") + s.inline(Typesetter.math(named)) + ": "
                        + mixed(line.substring(note).strip().replaceAll(",$", "").replaceAll("^\\((.*)\\)$", "$1"), s) + ".");
                line = line.substring(0, note);
            }
            for (String eq : line.strip().replaceAll(",$", "").split(",  ")) {
                defs.add(Typesetter.math(eq.strip()).replaceFirst(" ?= ?", " &= "));
            }
        }
        out.append(s.display("\\begin{aligned}\n" + String.join(" \\\\\n", defs) + "\n\\end{aligned}"));
        for (String n : notes) out.append(n).append("\n\n");

        out.append(s.heading(3, "The same ELBO as expected log-likelihood minus one KL divergence per factor"));
        out.append(s.prose("The terms above regrouped: each factor's entropy and the prior terms of its latents make "
                + "minus its KL divergence from the prior, since "))
           .append(s.inline("\\mathrm{KL}(q \\,\\|\\, p) = \\mathbb{E}_q[\\log q] - \\mathbb{E}_q[\\log p]"))
           .append(s.prose(" and the entropy is ")).append(s.inline("\\mathbb{H}[q] = -\\mathbb{E}_q[\\log q]"))
           .append(s.prose(". A prior that depends on latents outside the factor gives the KL averaged over their q.")).append('\n');
        List<String> kl = new ArrayList<>();
        for (CaviPlan.ElboTerm t : forms.likelihood()) kl.add(brace(Typesetter.math(t.name()), "\\text{expected log-likelihood}"));
        for (ElboForms.Divergence d : forms.divergences()) {
            String z = Typesetter.math("q(" + String.join(", ", d.latents()) + ")");
            kl.add("-" + brace(klTex(d), "\\text{keeps }" + z + "\\text{ near its prior}"));
        }
        for (CaviPlan.ElboTerm t : forms.rest()) kl.add(brace(Typesetter.math(t.name()), label(t, forms)));
        out.append(s.display(sum("\\mathcal{L}(q)", kl)));
        out.append(s.prose("with")).append('\n');
        List<String> each = new ArrayList<>();
        for (ElboForms.Divergence d : forms.divergences()) {
            StringBuilder row = new StringBuilder(klTex(d)).append(" &= -").append(Typesetter.math(d.entropy().name()));
            for (CaviPlan.ElboTerm p : d.priors()) row.append(" - ").append(Typesetter.math(p.name()));
            each.add(row.toString());
        }
        out.append(s.display("\\begin{aligned}\n" + String.join(" \\\\\n", each) + "\n\\end{aligned}"));
    }

    /** KL(q(z) ‖ p(z)), or 𝔼_{q(g)}[KL(q(z) ‖ p(z | g))] when the prior depends on latents g outside the factor. */
    private static String klTex(ElboForms.Divergence d) {
        String z = String.join(", ", d.latents());
        String p = d.given().isEmpty() ? "p(" + z + ")" : "p(" + z + " | " + String.join(", ", d.given()) + ")";
        String kl = "\\mathrm{KL}(" + Typesetter.math("q(" + z + ")") + " \\,\\|\\, " + Typesetter.math(p) + ")";
        if (d.given().isEmpty()) return kl;
        return "\\mathbb{E}_{" + Typesetter.math("q(" + String.join(", ", d.given()) + ")") + "}\\left[" + kl + "\\right]";
    }

    /** What an ELBO term is, as an underbrace's label. */
    private static String label(CaviPlan.ElboTerm t, ElboForms forms) {
        if (forms.likelihood().contains(t)) return "\\text{expected log-likelihood}";
        String of = t.name().replaceAll("E\\[log p\\(([^|)]+).*", "$1").strip();
        for (ElboForms.Divergence d : forms.divergences()) {
            if (d.entropy().equals(t)) return "\\text{entropy of }" + Typesetter.math("q(" + String.join(", ", d.latents()) + ")");
            if (d.priors().contains(t)) return "\\text{prior of }" + Typesetter.math(of);
        }
        if (forms.rest().contains(t) && !of.equals(t.name())) return "\\text{prior of }" + Typesetter.math(of) + "\\text{, fixed}";
        return "";
    }

    private static String brace(String tex, String label) {
        return label.isEmpty() ? tex : "\\underbrace{" + tex + "}_{" + label + "}";
    }

    /** lhs = t1 + t2 − t3 …, one term a row; a term that starts with "-" is subtracted. */
    private static String sum(String lhs, List<String> terms) {
        StringBuilder out = new StringBuilder("\\begin{aligned}\n").append(lhs).append(" ={}& ");
        for (int i = 0; i < terms.size(); i++) {
            String t = terms.get(i);
            boolean minus = t.startsWith("-");
            if (minus) t = t.substring(1);
            if (i > 0) out.append(" \\\\\n&").append(minus ? "- " : "+ ");
            else if (minus) out.append("-");
            out.append(t);
        }
        return out.append("\n\\end{aligned}").toString();
    }

    /** Markdown's special characters escaped in prose. */
    static String markdownEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if ("\\`*_[]<>|$#".indexOf(ch) >= 0) out.append('\\');
            out.append(ch);
        }
        return out.toString();
    }

    /** The Unicode the text uses, as LaTeX: code point, then its rendering. */
    private static final String[][] UNICODE = {
        {"03A3", "\\ensuremath{\\Sigma}"}, {"03C8", "\\ensuremath{\\psi}"}, {"00B2", "\\ensuremath{^2}"},
        {"00B7", "\\ensuremath{\\cdot}"}, {"2212", "\\ensuremath{-}"}, {"221D", "\\ensuremath{\\propto}"},
        {"03C0", "\\ensuremath{\\pi}"}, {"0393", "\\ensuremath{\\Gamma}"}, {"00BD", "\\ensuremath{\\tfrac{1}{2}}"},
        {"1D40", "\\ensuremath{^{\\top}}"}, {"2192", "\\ensuremath{\\to}"}, {"2026", "\\ensuremath{\\ldots}"},
        {"2264", "\\ensuremath{\\le}"}, {"2265", "\\ensuremath{\\ge}"}, {"00D7", "\\ensuremath{\\times}"},
        {"03C6", "\\ensuremath{\\phi}"}, {"03BC", "\\ensuremath{\\mu}"}, {"03C4", "\\ensuremath{\\tau}"},
        {"039B", "\\ensuremath{\\Lambda}"}, {"03B2", "\\ensuremath{\\beta}"}, {"03B1", "\\ensuremath{\\alpha}"},
        {"03BD", "\\ensuremath{\\nu}"}, {"03BB", "\\ensuremath{\\lambda}"}, {"03C3", "\\ensuremath{\\sigma}"},
        {"2016", "\\ensuremath{\\|}"}, {"2248", "\\ensuremath{\\approx}"}, {"2208", "\\ensuremath{\\in}"},
        {"0394", "\\ensuremath{\\Delta}"}, {"03B7", "\\ensuremath{\\eta}"}, {"03A0", "\\ensuremath{\\Pi}"}};

    /** Text with LaTeX's special characters escaped. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\\' -> out.append("\\textbackslash{}");
                case '_' -> out.append("\\_");
                case '^' -> out.append("\\^{}");
                case '{' -> out.append("\\{");
                case '}' -> out.append("\\}");
                case '#' -> out.append("\\#");
                case '%' -> out.append("\\%");
                case '&' -> out.append("\\&");
                case '$' -> out.append("\\$");
                case '~' -> out.append("\\textasciitilde{}");
                case '|' -> out.append("\\textbar{}");
                case '<' -> out.append("\\textless{}");
                case '>' -> out.append("\\textgreater{}");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
