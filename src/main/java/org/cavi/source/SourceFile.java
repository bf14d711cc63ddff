package org.cavi.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A named text, with the line starts needed to turn offsets into line:column.
 *
 * <p>Offsets are Java {@code char} (UTF-16) indices into {@link #text()}; columns count code
 * points, as an editor shows them, so a character outside the Basic Multilingual Plane (an emoji,
 * 𝛍) is one column. A byte-order mark at the start is not part of the text.
 */
public final class SourceFile {
    private final String name;
    private final String text;
    private final int[] lineStarts;
    /** For a text with surrogate pairs: the char offset of each code point index; else null. */
    private final int[] codePointOffsets;

    public SourceFile(String name, String text) {
        this.name = name;
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        boolean astral = false;
        for (int i = 0; i < this.text.length(); i++) {
            char c = this.text.charAt(i);
            if (c == '\n') starts.add(i + 1);
            else if (Character.isHighSurrogate(c)) astral = true;
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        if (astral) {
            int count = this.text.codePointCount(0, this.text.length());
            int[] offsets = new int[count + 1];
            int off = 0;
            for (int cp = 0; cp < count; cp++) {
                offsets[cp] = off;
                off += Character.charCount(this.text.codePointAt(off));
            }
            offsets[count] = this.text.length();
            this.codePointOffsets = offsets;
        } else {
            this.codePointOffsets = null;
        }
    }

    public String name() { return name; }
    public String text() { return text; }
    public int lineCount() { return lineStarts.length; }

    /** The text of a 1-based line, without its line break. */
    public String line(int line) {
        if (line < 1 || line > lineStarts.length) return "";
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') end--;
        return text.substring(start, Math.max(start, end));
    }

    /** 0-based char offset of the start of a 1-based line. */
    public int lineStart(int line) {
        return lineStarts[Math.max(0, Math.min(line, lineStarts.length) - 1)];
    }

    /** 1-based line of a 0-based offset. */
    public int lineOf(int offset) {
        int lo = 0, hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
        }
        return lo + 1;
    }

    /** 1-based column of a 0-based offset, in code points. */
    public int columnOf(int offset) {
        int start = lineStarts[lineOf(offset) - 1];
        int end = Math.max(start, Math.min(offset, text.length()));
        return text.codePointCount(start, end) + (offset - end) + 1;
    }

    /** The char offset of a code point index (ANTLR counts code points). */
    public int offsetOfCodePoint(int index) {
        if (codePointOffsets == null) return Math.max(0, index);
        if (index < 0) return 0;
        if (index >= codePointOffsets.length) return text.length() + (index - codePointOffsets.length + 1);
        return codePointOffsets[index];
    }

    public Span span(int start, int end) {
        return new Span(this, start, Math.max(start, end));
    }

    /** The span of code points [start, end), as ANTLR numbers them. */
    public Span codePointSpan(int start, int end) {
        return span(offsetOfCodePoint(start), offsetOfCodePoint(end));
    }

    /** Bytes that are not UTF-8: where the first bad byte is. */
    public static final class NotUtf8 extends Exception {
        private final long byteOffset;
        private final int badByte;
        private final String decodedBefore;

        NotUtf8(long byteOffset, int badByte, String decodedBefore) {
            super("byte 0x" + String.format("%02X", badByte) + " at offset " + byteOffset + " is not UTF-8");
            this.byteOffset = byteOffset;
            this.badByte = badByte;
            this.decodedBefore = decodedBefore;
        }

        /** 0-based offset of the first byte that is not UTF-8. */
        public long byteOffset() { return byteOffset; }
        public int badByte() { return badByte; }

        /**
         * A located error: the file decoded with replacement characters, with the caret at the
         * first bad byte.
         */
        public Diagnostic diagnostic(String name, byte[] bytes) {
            String shown = new String(bytes, StandardCharsets.UTF_8);
            SourceFile f = new SourceFile(name, shown);
            String before = decodedBefore.startsWith("\uFEFF") ? decodedBefore.substring(1) : decodedBefore;
            int at = Math.min(before.length(), f.text().length());
            return Diagnostic.error(f.span(at, at + 1), "the file is not UTF-8 text: " + getMessage()
                    + "; save it as UTF-8");
        }
    }

    /** Decodes UTF-8 strictly, saying where the first byte that is not UTF-8 is. */
    public static String decodeUtf8(byte[] bytes) throws NotUtf8 {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            out.flip();
            throw new NotUtf8(in.position(), bytes[in.position()] & 0xFF, out.toString());
        }
        dec.flush(out);
        out.flip();
        return out.toString();
    }
}
