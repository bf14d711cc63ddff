package org.cavi.check;

import java.util.List;
import java.util.Map;
import org.cavi.ast.Program;
import org.cavi.ast.Stmt;

/**
 * A model whose names, indices and plates are consistent.
 *
 * @param constants evaluated constants, after --set overrides, in definition order
 * @param data      data declarations by name
 * @param latents   the statement giving each latent its prior, by name
 * @param likelihoods statements whose left side is data
 * @param fixed     latents fixed to a value with --set
 * @param ranges    every plate variable's range, per statement
 * @param joints    joint variational factors declared with q(...)
 */
public record CheckedModel(Program program, String name, Map<String, Value> constants,
                           Map<String, Stmt.DataDecl> data, Map<String, Stmt.Tilde> latents,
                           List<Stmt.Tilde> likelihoods, Map<String, Value> fixed,
                           Map<Stmt.Tilde, List<Range>> ranges, List<Stmt.Joint> joints) {

    /** A plate range 1..hi, where hi is a constant or the size of a data variable. */
    public record Range(String var, String hiText, Integer hiValue, String sizeName) {
        public boolean isDataSize() { return sizeName != null; }
        @Override public String toString() { return var + " in 1.." + hiText; }
    }
}
