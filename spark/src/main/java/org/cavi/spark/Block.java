package org.cavi.spark;

import java.io.Serializable;

/** One of the data's fixed blocks, kept on an executor: its index and its rows, D values a row, in one array. */
record Block(int index, int rows, double[] values) implements Serializable {
}
