package io.duplex.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles the Java code blocks of the docs with javax.tools against duplex-core, duplex-nio and SLF4J. */
final class SnippetCompiler {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    private SnippetCompiler() {
    }

    /** The {@code ```java} blocks of {@code markdown}, in order. */
    static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Reads a file of the repository from the examples module's directory (where Maven runs the tests). */
    static String readDoc(String path) throws IOException {
        Path file = Path.of("..", path);
        assertTrue(Files.isRegularFile(file), path + " not found from " + Path.of("").toAbsolutePath());
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Compiles {@code source}, the class {@code className}, into {@code out}, failing with javac's messages. */
    static Path compile(String className, String source, Path out) throws IOException {
        Files.createDirectories(out);
        Path file = out.resolve(className + ".java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        boolean ok = javac.getTask(messages, null, null,
                List.of("-classpath", classpath(), "-d", out.toString(), "-Xlint:all", "-Werror"),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file))
                .call();
        assertTrue(ok, "snippet does not compile:\n" + messages + "\n" + source);
        return out;
    }

    /** duplex-core, duplex-nio, slf4j-api and slf4j-simple, where this test's class loader found them. */
    static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String name : List.of("io.duplex.core.WebSocket", "io.duplex.nio.WebSocketServer",
                "org.slf4j.LoggerFactory", "org.slf4j.simple.SimpleLogger")) {
            try {
                entries.add(Path.of(Class.forName(name).getProtectionDomain().getCodeSource().getLocation().toURI())
                        .toString());
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new AssertionError("cannot locate " + name, e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
