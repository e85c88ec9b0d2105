package dev.chorus.scoring.embedding;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Against the real ONNX Runtime jar on the test classpath. */
class OrtNativeLibrariesTest {

    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
    private static final String RUNTIME = System.mapLibraryName("onnxruntime");
    private static final String JNI = System.mapLibraryName("onnxruntime4j_jni");

    private static String resources;

    @BeforeAll
    static void platformHasLibraries() {
        resources = OrtNativeLibraries.resourceFolder().orElse(null);
        assumeTrue(resources != null, "the ONNX Runtime jar has no libraries for this platform");
    }

    @Test
    void extractsTheLibrariesWithTheBytesOfTheJarIntoAFolderNamedForTheRuntime(@TempDir Path cache) throws IOException {
        Path folder = OrtNativeLibraries.extract(cache).orElseThrow();

        assertThat(folder.getParent()).isEqualTo(cache);
        assertThat(folder.getFileName().toString())
                .isEqualTo(OnnxEmbeddingModel.sha256(resourceBytes(RUNTIME)).substring(0, 16));
        assertThat(names(folder)).contains(RUNTIME, JNI).allSatisfy(name -> assertThat(name).doesNotEndWith(".part"));
        for (String name : names(folder)) {
            assertThat(Arrays.mismatch(Files.readAllBytes(folder.resolve(name)), resourceBytes(name)))
                    .as("first byte of %s that differs from the jar's", name).isEqualTo(-1);
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve(RUNTIME))))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void reusesTheFilesAlreadyCached(@TempDir Path cache) throws IOException {
        Path folder = OrtNativeLibraries.extract(cache).orElseThrow();
        for (String name : names(folder)) {
            Files.setLastModifiedTime(folder.resolve(name), LONG_AGO);
        }

        assertThat(OrtNativeLibraries.extract(cache)).contains(folder);
        for (String name : names(folder)) {
            assertThat(Files.getLastModifiedTime(folder.resolve(name))).as(name).isEqualTo(LONG_AGO);
        }
    }

    @Test
    void aLibraryThatDoesNotMatchTheRecordIsWrittenAgain(@TempDir Path cache) throws IOException {
        Path folder = OrtNativeLibraries.extract(cache).orElseThrow();
        Files.write(folder.resolve(RUNTIME), Arrays.copyOf(resourceBytes(RUNTIME), 4096));

        assertThat(OrtNativeLibraries.extract(cache)).contains(folder);
        assertThat(Arrays.mismatch(Files.readAllBytes(folder.resolve(RUNTIME)), resourceBytes(RUNTIME))).isEqualTo(-1);
    }

    /** What a power cut after the copy can leave: files of the right size holding zeros, and no record. */
    @Test
    void filesOfTheRightSizeWithoutTheRecordAreNotTrusted(@TempDir Path cache) throws IOException {
        Path folder = OrtNativeLibraries.extract(cache).orElseThrow();
        for (String name : names(folder)) {
            Files.write(folder.resolve(name), new byte[(int) Files.size(folder.resolve(name))]);
        }
        Files.delete(folder.resolve(OrtNativeLibraries.RECORD));

        assertThat(OrtNativeLibraries.extract(cache)).contains(folder);
        for (String name : names(folder)) {
            assertThat(Arrays.mismatch(Files.readAllBytes(folder.resolve(name)), resourceBytes(name)))
                    .as("first byte of %s that differs from the jar's", name).isEqualTo(-1);
        }
        assertThat(folder.resolve(OrtNativeLibraries.RECORD)).isRegularFile();
    }

    @Test
    void aPartFileLeftByAKilledCopyIsRemovedOnceAbandoned(@TempDir Path cache) throws IOException {
        Path folder = OrtNativeLibraries.extract(cache).orElseThrow();
        Path abandoned = Files.writeString(folder.resolve(RUNTIME + ".123" + OrtNativeLibraries.PART), "half a copy");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now()
                .minus(OrtNativeLibraries.PART_ABANDONED_AFTER).minusSeconds(60)));
        Path inProgress = Files.writeString(folder.resolve(RUNTIME + ".456" + OrtNativeLibraries.PART), "being copied");

        OrtNativeLibraries.extract(cache).orElseThrow();

        assertThat(abandoned).doesNotExist();
        assertThat(inProgress).as("another process may be copying it now").exists();
    }

    @Test
    void aCacheThatCannotBeWrittenLeavesOnnxRuntimeToItsOwnWay(@TempDir Path dir) throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("cache"), "a file where the cache folder would go");

        assertThat(OrtNativeLibraries.extract(notAFolder.resolve("chorus"))).isEmpty();
    }

    @Test
    void cacheFollowsXdgCacheHomeThenTheHomeFolder(@TempDir Path dir) {
        String xdg = dir.resolve("xdg").toString();
        String home = dir.resolve("home").toString();

        assertThat(OrtNativeLibraries.cacheRoot(xdg, home)).contains(Path.of(xdg, "chorus", "onnxruntime"));
        for (String unusable : Arrays.asList(null, "", "relative/cache")) {
            assertThat(OrtNativeLibraries.cacheRoot(unusable, home)).as("XDG_CACHE_HOME=%s", unusable)
                    .contains(Path.of(home, ".cache", "chorus", "onnxruntime"));
        }
        for (String noHome : Arrays.asList(null, "?")) {
            assertThat(OrtNativeLibraries.cacheRoot(null, noHome)).as("user.home=%s", noHome).isEmpty();
        }
    }

    private static byte[] resourceBytes(String fileName) throws IOException {
        try (InputStream in = OrtNativeLibraries.class.getResourceAsStream(resources + fileName)) {
            assertThat(in).as("resource %s%s", resources, fileName).isNotNull();
            return in.readAllBytes();
        }
    }

    /** The libraries in the folder, its record left out. */
    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> !name.equals(OrtNativeLibraries.RECORD)).sorted().toList();
        }
    }
}
