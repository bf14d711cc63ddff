package org.cavi.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plan's ELBO terms regrouped as expected log-likelihood minus one KL divergence per factor
 * of q. For a factor q(z) whose latents z have the prior p(z | g), the terms E[log p(z | g)] (one
 * per latent of z) and H[q(z)] make −E_{q(g)}[KL(q(z) ‖ p(z | g))], since
 * KL(q(z) ‖ p(z | g)) = E_q[log q(z)] − E_q[log p(z | g)] and H[q(z)] = −E_q[log q(z)]. Every term
 * lands in exactly one place, so ELBO = Σ terms = E[log-likelihood] − Σ KL + Σ rest, where the rest
 * is the prior terms of latents fixed with --set (a point mass has no KL to a density).
 */
public record ElboForms(List<CaviPlan.ElboTerm> likelihood, List<Divergence> divergences, List<CaviPlan.ElboTerm> rest,
                        List<CaviPlan.ElboTerm> where) {

    /**
     * One KL(q(z) ‖ p(z | given)), as the negative sum of its prior terms and its entropy.
     *
     * @param latents the latents of the factor, as written in the term names (mu, Lambda)
     * @param given   the latents outside the factor its prior depends on (empty: a plain KL)
     */
    public record Divergence(List<String> latents, List<String> given, List<CaviPlan.ElboTerm> priors, CaviPlan.ElboTerm entropy) {
        public Divergence {
            latents = List.copyOf(latents);
            given = List.copyOf(given);
            priors = List.copyOf(priors);
        }

        /** KL(q(mu, Lambda) ‖ p(mu, Lambda)), or E_q(tau)[KL(q(mu) ‖ p(mu | tau))], in the plan's Unicode. */
        public String name() {
            String z = String.join(", ", latents);
            String kl = "KL(q(" + z + ") ‖ p(" + z + (given.isEmpty() ? "" : " | " + String.join(", ", given)) + "))";
            return given.isEmpty() ? kl : "E_q(" + String.join(", ", given) + ")[" + kl + "]";
        }
    }

    public ElboForms {
        likelihood = List.copyOf(likelihood);
        divergences = List.copyOf(divergences);
        rest = List.copyOf(rest);
        where = List.copyOf(where);
    }

    private static final Pattern PRIOR = Pattern.compile("E\\[log p\\(([^|)]+?)(?: \\| ([^)]*))?\\)\\]");
    private static final Pattern ENTROPY = Pattern.compile("H\\[q\\(([^)]*)\\)\\]");
    private static final Pattern PRIOR_LINE = Pattern.compile("prior:\\s+(\\w+)(?:\\[[^\\]]*\\])?\\s+~\\s+(.*)");

    /** The plan's ELBO terms, grouped. */
    public static ElboForms of(CaviPlan plan) {
        Set<String> latents = new LinkedHashSet<>();
        for (CaviPlan.QFactor f : plan.factors()) for (String l : f.latent().split(",")) latents.add(base(l));
        List<CaviPlan.ElboTerm> likelihood = new ArrayList<>();
        List<CaviPlan.ElboTerm> priors = new ArrayList<>();
        List<CaviPlan.ElboTerm> entropies = new ArrayList<>();
        List<CaviPlan.ElboTerm> where = new ArrayList<>();
        List<CaviPlan.ElboTerm> rest = new ArrayList<>();
        for (CaviPlan.ElboTerm t : plan.elbo()) {
            if (t.name().equals("where")) {
                where.add(t);
                continue;
            }
            Matcher p = PRIOR.matcher(t.name());
            Matcher h = ENTROPY.matcher(t.name());
            if (p.matches() && latents.contains(p.group(1).strip())) priors.add(t);
            else if (p.matches()) likelihood.add(t);
            else if (h.matches()) entropies.add(t);
            else rest.add(t);
        }
        List<Divergence> divergences = new ArrayList<>();
        List<CaviPlan.ElboTerm> used = new ArrayList<>();
        for (CaviPlan.ElboTerm h : entropies) {
            Matcher m = ENTROPY.matcher(h.name());
            m.matches();
            List<String> zs = List.of(m.group(1).split(",\\s*"));
            List<CaviPlan.ElboTerm> mine = new ArrayList<>();
            Set<String> given = new LinkedHashSet<>();
            for (CaviPlan.ElboTerm t : priors) {
                Matcher p = PRIOR.matcher(t.name());
                p.matches();
                String z = p.group(1).strip();
                if (!zs.contains(z)) continue;
                mine.add(t);
                if (p.group(2) != null) for (String g : p.group(2).split(",\\s*")) given.add(g.strip());
                given.addAll(parents(plan, z, latents));
            }
            given.removeAll(zs);
            used.addAll(mine);
            divergences.add(new Divergence(zs, List.copyOf(given), mine, h));
        }
        for (CaviPlan.ElboTerm t : priors) if (!used.contains(t)) rest.add(t);    // a fixed latent's prior term
        return new ElboForms(likelihood, divergences, rest, where);
    }

    /** The latents that the prior of z, as the derivation writes it ("prior:  c[i] ~ Categorical(pi)"), depends on. */
    private static Set<String> parents(CaviPlan plan, String z, Set<String> latents) {
        Set<String> out = new LinkedHashSet<>();
        for (CaviPlan.Derivation d : plan.derivations()) {
            for (String line : d.conditional()) {
                Matcher m = PRIOR_LINE.matcher(line.strip());
                if (!m.matches() || !m.group(1).equals(z)) continue;
                Matcher w = Pattern.compile("[A-Za-z][A-Za-z0-9]*").matcher(m.group(2));
                while (w.find()) if (latents.contains(w.group()) && !w.group().equals(z)) out.add(w.group());
            }
        }
        return out;
    }

    private static String base(String latent) {
        return latent.strip().replaceAll("\\[.*", "");
    }
}
