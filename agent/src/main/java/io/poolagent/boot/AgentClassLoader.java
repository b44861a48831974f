package io.poolagent.boot;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The agent's private class loader. Its classes sit in the agent jar under {@code inst/} with a {@code .classdata}
 * suffix, so no other loader can find them: the application keeps its own Byte Buddy, slf4j or OpenTelemetry
 * versions, and ours never shadow them. The parent is the platform loader, so {@code java.sql} (and the bridge the
 * agent defines there) is shared with the application while the application class path is not.
 */
final class AgentClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final String PREFIX = "inst/";

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;

    AgentClassLoader(Path agentJar) throws IOException {
        super("pool-agent", ClassLoader.getPlatformClassLoader());
        this.jar = new JarFile(agentJar.toFile(), false);
        URL location = agentJar.toUri().toURL();
        this.jarUrl = "jar:" + location + "!/";
        this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
    }

    /** Whether the file is a pool-agent jar: one holding the isolated classes this loader reads. */
    static boolean isAgentJar(Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            return false;
        }
        try (JarFile candidate = new JarFile(file.toFile(), false)) {
            return candidate.getJarEntry(PREFIX + "io/poolagent/AgentMain.classdata") != null;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        try (InputStream in = jar.getInputStream(entry)) {
            byte[] bytes = in.readAllBytes();
            definePackageFor(name);
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    private void definePackageFor(String className) {
        int dot = className.lastIndexOf('.');
        if (dot > 0) {
            String pkg = className.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException alreadyDefinedConcurrently) {
                    // another thread won the race; nothing to do
                }
            }
        }
    }

    /** Resources, class files included (Byte Buddy reads advice classes as bytes), map into {@code inst/}. */
    @Override
    protected URL findResource(String name) {
        String entryName = name.endsWith(".class")
                ? PREFIX + name.substring(0, name.length() - ".class".length()) + ".classdata"
                : PREFIX + name;
        if (jar.getJarEntry(entryName) == null) {
            return null;
        }
        try {
            return new URL(jarUrl + entryName);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }
}
