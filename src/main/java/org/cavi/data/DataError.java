package org.cavi.data;

/** A problem with a data file: where it is (file, and line where there is one) and what is wrong. */
public record DataError(String message) {}
