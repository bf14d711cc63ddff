package org.cavi;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.cavi.cli.Main;
import picocli.CommandLine;

/** Runs the real command line in-process and captures what it prints. */
public record Cli(int code, String out, String err) {
    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }
}
