package org.cavi.data;

/**
 * A problem with a data file: where it is (file, and line where there is one) and what is
 * wrong; {@code outOfMemory} when the file is fine but the heap could not hold its values.
 */
public record DataError(String message, boolean outOfMemory) {
    public DataError(String message) { this(message, false); }
}
