package org.cavi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command in docs/tutorial.md runs and prints what the tutorial shows. */
class TutorialTest {
    @TempDir Path tmp;

    record Example(String command, String output) {}

    static List<Example> examples() throws IOException {
        List<Example> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("docs/tutorial.md"));
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals("```text") || i + 1 >= lines.size() || !lines.get(i + 1).startsWith("$ ")) continue;
            String command = lines.get(i + 1).substring(2);
            StringBuilder expected = new StringBuilder();
            int j = i + 2;
            for (; !lines.get(j).equals("```"); j++) expected.append(lines.get(j)).append('\n');
            out.add(new Example(command, expected.toString()));
            i = j;
        }
        return out;
    }

    /** Splits a shell command line on spaces, keeping '...' together. */
    static List<String> words(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false, any = false;
        for (char ch : command.toCharArray()) {
            if (ch == '\'') { quoted = !quoted; any = true; continue; }
            if (ch == ' ' && !quoted) {
                if (any) out.add(w.toString());
                w.setLength(0);
                any = false;
                continue;
            }
            w.append(ch);
            any = true;
        }
        if (any) out.add(w.toString());
        return out;
    }

    static String timeless(String s) { return s.replaceAll("in \\d+\\.\\d+ s", "in _ s"); }

    @Test
    void everyTutorialCommandRunsAsShown() throws Exception {
        List<Example> examples = examples();
        assertTrue(examples.size() >= 8, "found " + examples.size() + " commands");
        for (Example e : examples) {
            if (e.command().startsWith("printf ")) {
                List<String> w = words(e.command());
                String script = w.get(1).replace("\\n", "\n");
                ReplTest.Transcript t = ReplTest.script(script.split("\n"));
                assertEquals("", t.err(), e.command());
                assertEquals(timeless(e.output()), timeless(t.out()), e.command());
                continue;
            }
            List<String> w = words(e.command());
            assertEquals("./cavi", w.get(0), e.command());
            List<String> args = new ArrayList<>(w.subList(1, w.size()));
            String redirect = null;
            int gt = args.indexOf(">");
            if (gt >= 0) {
                redirect = args.get(gt + 1);
                args = new ArrayList<>(args.subList(0, gt));
            }
            // the figures a command writes go to a temporary directory; the committed ones are left alone
            java.util.Map<String, Path> figures = new java.util.LinkedHashMap<>();
            for (String option : List.of("--plot", "--animate", "--snapshots")) {
                int at = args.indexOf(option);
                if (at < 0) continue;
                String committed = args.get(at + 1);
                Path picture = tmp.resolve(option.substring(2) + committed.substring(committed.lastIndexOf('.')));
                figures.put(committed, picture);
                args.set(at + 1, picture.toString());
            }
            // a file a command writes goes to the temporary folder, named in the output as the tutorial names it
            String written = null;
            Path writtenTo = tmp.resolve("written.out");
            int outFlag = args.indexOf("--out");
            if (outFlag >= 0) {
                written = args.get(outFlag + 1);
                args.set(outFlag + 1, writtenTo.toString());
            }
            Cli r = Cli.run(args.toArray(new String[0]));
            assertEquals(0, r.code(), e.command() + "\n" + r.err());
            String out = r.out();
            for (var f : figures.entrySet()) out = out.replace(f.getValue().toString(), f.getKey());
            if (written != null) {
                out = out.replace(writtenTo.toString(), written);
                assertTrue(Files.size(writtenTo) > 0, e.command() + " wrote nothing to " + written);
            }
            if (redirect != null) {
                Path target = Path.of(redirect);
                if (Files.exists(target)) assertEquals(Files.readString(target), out, "the file " + redirect);
            } else {
                assertEquals(timeless(e.output()), timeless(out), e.command());
            }
            for (var f : figures.entrySet()) {
                assertTrue(Files.exists(Path.of(f.getKey())), "the tutorial's figure " + f.getKey() + " is committed");
                int width = ImageIO.read(f.getValue().toFile()).getWidth();
                if (f.getKey().endsWith(".gif")) {
                    assertEquals(org.cavi.report.Animation.WIDTH, width, f.getKey());
                    // the committed animation has as many frames as the command's
                    assertEquals(AnimationTest.read(f.getValue()).frames().size(), AnimationTest.read(Path.of(f.getKey())).frames().size());
                } else {
                    assertEquals(e.command().contains("--snapshots " + f.getKey()) ? 2 * org.cavi.report.Animation.WIDTH
                            : org.cavi.report.Plots.WIDTH, width, f.getKey());
                }
            }
        }
    }
}
