/**
 * The sweep benchmark behind bench/sweep.sh: times a sweep on simulated or given data. A leaf:
 * it uses {@code driver}, {@code infer}, {@code simulate}, {@code data} and {@code plan}, and
 * nothing uses it.
 */
package org.cavi.bench;
