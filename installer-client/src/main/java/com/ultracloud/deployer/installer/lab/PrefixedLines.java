package com.ultracloud.deployer.installer.lab;

import java.io.PrintWriter;
import java.io.Writer;

/** A writer that hands whole lines to {@code out}, each with {@code prefix}: many machines share one console. */
final class PrefixedLines extends Writer {

    private final PrintWriter out;
    private final String prefix;
    private final StringBuilder line = new StringBuilder();

    PrefixedLines(PrintWriter out, String prefix) {
        this.out = out;
        this.prefix = prefix;
    }

    @Override
    public synchronized void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = chars[i];
            if (c == '\n') {
                synchronized (out) {
                    out.println(prefix + line);
                    out.flush();
                }
                line.setLength(0);
            } else if (c != '\r') {
                line.append(c);
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
