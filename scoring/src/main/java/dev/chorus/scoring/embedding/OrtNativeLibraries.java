package dev.chorus.scoring.embedding;

import ai.onnxruntime.OrtEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads ONNX Runtime's native libraries from a per-user cache, {@code $XDG_CACHE_HOME/chorus/onnxruntime/<key>}
 * or {@code ~/.cache/chorus/onnxruntime/<key>}, where the key is taken from the sha256 of the runtime library so
 * that two versions never share a folder.
 *
 * <p>Left to itself, ONNX Runtime 1.23 copies its libraries (22 MB on linux-x64) into a new
 * {@code onnxruntime-java*} folder under {@code java.io.tmpdir} at every start and deletes them only at a normal
 * exit, so every process ended by SIGKILL (a supervisor's stop timeout, the OOM killer) leaves a copy behind.
 * ONNX Runtime's documented {@code onnxruntime.native.path} property makes it load the libraries from a folder
 * instead; an explicit {@code -Donnxruntime.native.path} is left as it is.
 */
final class OrtNativeLibraries {

    private static final Logger LOG = LoggerFactory.getLogger(OrtNativeLibraries.class);
    private static final String PATH_PROPERTY = "onnxruntime.native.path";
    private static final String RUNTIME = "onnxruntime";
    private static final List<String> REQUIRED = List.of(RUNTIME, "onnxruntime4j_jni");
    /**
     * The execution providers ONNX Runtime may load, as its own loader lists them. The runtime opens a provider
     * from its own folder, so those in the jar (the GPU build's CUDA provider) have to sit beside it.
     */
    private static final List<String> PROVIDERS = List.of("onnxruntime_providers_shared",
            "onnxruntime_providers_cuda", "onnxruntime_providers_rocm", "onnxruntime_providers_dnnl",
            "onnxruntime_providers_openvino", "onnxruntime_providers_tensorrt", "onnxruntime_providers_qnn",
            "webgpu_dawn");
    private static final int KEY_HEX_DIGITS = 16;
    /** Written last: a folder holds a whole copy exactly when this lists its files with their sizes. */
    static final String RECORD = "libraries.txt";
    static final String PART = ".part";
    static final Duration PART_ABANDONED_AFTER = Duration.ofHours(1);

    private static boolean prepared;

    private OrtNativeLibraries() {
    }

    /**
     * {@link OrtEnvironment#getEnvironment()}, with the libraries loaded from the cache. Where the cache cannot be
     * written, or this platform's libraries are not in the ONNX Runtime jar, ONNX Runtime loads them its own way.
     */
    static synchronized OrtEnvironment environment() {
        if (!prepared && System.getProperty(PATH_PROPERTY) == null) {
            cacheRoot(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home")).ifPresentOrElse(
                    root -> extract(root).ifPresent(folder -> System.setProperty(PATH_PROPERTY, folder.toString())),
                    () -> LOG.info("ONNX Runtime native libraries not cached: neither XDG_CACHE_HOME nor the home "
                            + "folder is an absolute path; ONNX Runtime copies them to a temporary folder of its own, "
                            + "which a killed process leaves behind"));
        }
        prepared = true;
        return OrtEnvironment.getEnvironment();
    }

    /** Where the cache lives, as the XDG base directory specification places it; empty without a home. */
    static Optional<Path> cacheRoot(String xdgCacheHome, String userHome) {
        Path base;
        if (xdgCacheHome != null && !xdgCacheHome.isBlank() && Path.of(xdgCacheHome).isAbsolute()) {
            base = Path.of(xdgCacheHome);
        } else if (userHome != null && !userHome.isBlank() && Path.of(userHome).isAbsolute()) {
            base = Path.of(userHome, ".cache");
        } else {
            return Optional.empty();
        }
        return Optional.of(base.resolve("chorus").resolve("onnxruntime"));
    }

    /**
     * Copies this platform's libraries from the ONNX Runtime jar into a folder under {@code cacheRoot}, unless the
     * folder's record says a whole copy of exactly these files is already there.
     *
     * @return the folder holding the libraries, or empty if this platform has none in the jar or the folder
     *         cannot be written
     */
    static Optional<Path> extract(Path cacheRoot) {
        Optional<String> resources = resourceFolder();
        if (resources.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path folder = cacheRoot.resolve(key(resource(resources.get(), RUNTIME)));
            Files.createDirectories(folder, ownerOnly());
            removeAbandonedParts(folder);
            Map<Path, URLConnection> libraries = new LinkedHashMap<>();
            for (String library : Stream.concat(REQUIRED.stream(), PROVIDERS.stream()).toList()) {
                URL resource = resource(resources.get(), library);
                if (resource != null) {
                    libraries.put(folder.resolve(System.mapLibraryName(library)), resource.openConnection());
                }
            }
            String record = record(libraries);
            Path recordFile = folder.resolve(RECORD);
            if (!Files.isRegularFile(recordFile) || !Files.readString(recordFile).equals(record)
                    || !sizesMatch(libraries)) {
                for (Map.Entry<Path, URLConnection> library : libraries.entrySet()) {
                    try (InputStream in = library.getValue().getInputStream()) {
                        place(in, library.getKey());
                    }
                }
                syncFolder(folder);
                place(new ByteArrayInputStream(record.getBytes(StandardCharsets.UTF_8)), recordFile);
                syncFolder(folder);
            }
            LOG.debug("ONNX Runtime native libraries cached in {}", folder);
            return Optional.of(folder);
        } catch (IOException e) {
            LOG.info("ONNX Runtime native libraries not cached in {} ({}); ONNX Runtime copies them to a temporary "
                    + "folder of its own, which a killed process leaves behind. Set XDG_CACHE_HOME to a writable "
                    + "folder to cache them", cacheRoot, e.toString());
            return Optional.empty();
        }
    }

    /** This platform's folder of libraries in the ONNX Runtime jar, or empty where the jar has none. */
    static Optional<String> resourceFolder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("mac") || os.contains("darwin") ? "osx"
                : os.contains("win") ? "win"
                : os.contains("nux") ? "linux" : null;
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x64"
                : arch.equals("aarch64") ? "aarch64" : null;
        if (osName == null || archName == null) {
            return Optional.empty();
        }
        String folder = "/ai/onnxruntime/native/" + osName + "-" + archName + "/";
        return REQUIRED.stream().allMatch(library -> resource(folder, library) != null)
                ? Optional.of(folder) : Optional.empty();
    }

    static URL resource(String folder, String library) {
        return OrtEnvironment.class.getResource(folder + System.mapLibraryName(library));
    }

    private static String key(URL runtime) throws IOException {
        try (InputStream in = runtime.openStream()) {
            return OnnxEmbeddingModel.sha256(in.readAllBytes()).substring(0, KEY_HEX_DIGITS);
        }
    }

    /** One line per library, {@code name size}: what the folder holds once a copy is whole. */
    private static String record(Map<Path, URLConnection> libraries) {
        StringBuilder record = new StringBuilder();
        libraries.forEach((target, source) -> record.append(target.getFileName()).append(' ')
                .append(source.getContentLengthLong()).append('\n'));
        return record.toString();
    }

    private static boolean sizesMatch(Map<Path, URLConnection> libraries) throws IOException {
        for (Map.Entry<Path, URLConnection> library : libraries.entrySet()) {
            if (!Files.isRegularFile(library.getKey())
                    || Files.size(library.getKey()) != library.getValue().getContentLengthLong()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Written beside the target, forced to disk and renamed over it: a process starting at the same moment sees
     * either no file or a whole one, one that has the old file mapped keeps it, and a power cut cannot leave a file of
     * the right size but not the right bytes behind the record, which is written last.
     */
    private static void place(InputStream content, Path target) throws IOException {
        Path part = Files.createTempFile(target.getParent(), target.getFileName() + ".", PART, ownerOnly());
        try {
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE)) {
                content.transferTo(Channels.newOutputStream(out));
                out.force(true);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Makes the renames in {@code folder} durable; where a folder cannot be opened for that (Windows), they are left to the OS. */
    private static void syncFolder(Path folder) {
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException notSupported) {
            LOG.debug("folder {} not synced ({})", folder, notSupported.toString());
        }
    }

    /** A process killed while copying leaves its part file; one older than any copy takes is nobody's any more. */
    private static void removeAbandonedParts(Path folder) throws IOException {
        Instant abandoned = Instant.now().minus(PART_ABANDONED_AFTER);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(PART)).toList()) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(abandoned)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    /**
     * Deletes the {@code onnxruntime-java*} folder that ONNX Runtime 1.23 makes under {@code java.io.tmpdir} at
     * every start and would delete only at a normal exit. It makes the folder even when it loads from
     * {@code onnxruntime.native.path}, and still copies the jar's execution providers into it (the GPU build's
     * CUDA provider, 370 MB, when CUDA is added), but those copies are never loaded: the runtime opens a provider
     * from its own folder. Without the property the runtime itself was loaded from there, and the folder stays.
     * Call it once the execution providers are added, since adding one is what copies it.
     */
    static synchronized void removeTemporaryCopies() {
        if (System.getProperty(PATH_PROPERTY) == null) {
            return;
        }
        Path folder;
        try {
            Field field = Class.forName("ai.onnxruntime.OnnxRuntime", false, OrtEnvironment.class.getClassLoader())
                    .getDeclaredField("tempDirectory");
            field.setAccessible(true);
            folder = field.get(null) instanceof Path path ? path : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("ONNX Runtime's temporary folder not found ({}); it is removed at exit", e.toString());
            return;
        }
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> copies = Files.list(folder)) {
            for (Path copy : copies.toList()) {
                Files.delete(copy);
            }
            Files.delete(folder);
        } catch (IOException e) {
            LOG.debug("ONNX Runtime's temporary folder {} not removed ({}); it is removed at exit", folder, e.toString());
        }
    }
}
