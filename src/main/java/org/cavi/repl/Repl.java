package org.cavi.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cavi.driver.Problem;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.FileNameCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** The interactive shell: JLine in a terminal, plain line-by-line reading otherwise. */
public final class Repl {
    private static final String PROMPT = "cavi> ";
    private static final String CONTINUATION = "  ... ";

    private final PrintWriter out;
    private final PrintWriter err;

    public Repl(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public int start() {
        if (System.console() == null) {
            return script(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        try {
            return interactive();
        } catch (IOException e) {
            err.println("error: cannot open the terminal: " + e.getMessage());
            err.flush();
            return 70;
        }
    }

    /**
     * Reads commands line by line without prompts, for scripts and pipes. Unfinished model
     * text continues on the next line, as at the terminal's continuation prompt.
     */
    public int script(Reader input) {
        Session session = new Session(out, err, Path.of("").toAbsolutePath(), "<stdin>");
        AtomicBoolean cancel = new AtomicBoolean();
        StringBuilder pending = new StringBuilder();
        int lineNo = 0, start = 1;
        try (BufferedReader in = new BufferedReader(input)) {
            String line;
            while (!session.quitRequested() && (line = in.readLine()) != null) {
                lineNo++;
                if (pending.length() == 0) start = lineNo;
                pending.append(line).append('\n');
                if (Session.incomplete(pending.toString())) continue;
                session.handle(pending.toString(), cancel, start);
                pending.setLength(0);
            }
            if (pending.length() > 0 && !session.quitRequested()) session.handle(pending.toString(), cancel, start);
            session.close();
        } catch (IOException e) {
            session.close();
            err.println("<stdin>:" + lineNo + ": error: cannot read the input: " + e.getMessage());
            out.flush();
            err.flush();
            return Problem.EXIT_INTERNAL;
        }
        out.flush();
        err.flush();
        return session.exitCode();
    }

    private int interactive() throws IOException {
        Terminal terminal = TerminalBuilder.builder().system(true).build();
        PrintWriter tw = terminal.writer();
        Session session = new Session(tw, tw, Path.of("").toAbsolutePath());
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("cavi")
                .parser(new ContinuationParser())
                .completer(new CommandCompleter())
                .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".cavi_history"))
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
                .build();
        AtomicBoolean cancel = new AtomicBoolean();
        // Ctrl-C while a fit runs cancels the fit; at the prompt, JLine turns it into UserInterruptException
        terminal.handle(Terminal.Signal.INT, sig -> cancel.set(true));
        tw.println("cavi " + org.cavi.frontend.Version.NUMBER + ": :help for commands, Ctrl-D to leave");
        tw.flush();
        while (!session.quitRequested()) {
            String line;
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            cancel.set(false);
            session.handle(line, cancel);
        }
        session.close();
        terminal.close();
        return 0;
    }

    /** Asks JLine for another line while model text is unfinished (an open bracket, a dangling ~). */
    private static final class ContinuationParser extends DefaultParser {
        ContinuationParser() {
            setEofOnUnclosedQuote(false);
            setEscapeChars(new char[0]);
        }

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && Session.incomplete(line)) {
                throw new EOFError(-1, -1, "unfinished statement");
            }
            return super.parse(line, cursor, context);
        }
    }

    /** Completes command names, and file names after :load and :data NAME=. */
    private static final class CommandCompleter implements Completer {
        private final FileNameCompleter files = new FileNameCompleter();

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            List<String> words = line.words();
            if (line.wordIndex() == 0) {
                for (String c : Session.COMMANDS.keySet()) candidates.add(new Candidate(c));
                return;
            }
            String first = words.get(0);
            if (first.equals(":load") || first.equals(":data")) files.complete(reader, line, candidates);
        }
    }
}
