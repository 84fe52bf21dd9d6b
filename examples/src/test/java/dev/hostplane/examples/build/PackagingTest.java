package dev.hostplane.examples.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks what a user of the published artifacts relies on and no compiler checks: the BOM names
 * every library module at the parent's version, and the tree carries its licence.
 */
class PackagingTest
{
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> LIBRARIES = List.of("vswitch", "iopipe", "flashcache", "syslog", "packetscript");

    @Test
    void shouldListEveryLibraryModuleInTheBomAtTheParentsVersion() throws Exception
    {
        final Element parent = pom(ROOT.resolve("pom.xml"));
        final Element bom = pom(ROOT.resolve("bom/pom.xml"));

        assertThat(text(bom, "version")).isEqualTo(text(parent, "version"));
        final List<String> managed = new ArrayList<>();
        final NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++)
        {
            final Element dependency = (Element)dependencies.item(i);
            assertThat(text(dependency, "version")).isEqualTo("${project.version}");
            managed.add(text(dependency, "artifactId"));
        }
        final List<String> expected = new ArrayList<>();
        LIBRARIES.forEach((module) -> expected.add("hostplane-" + module));
        assertThat(managed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldCarryTheApacheLicenceInTheTreeAndThePom() throws Exception
    {
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
        final Element licence = (Element)pom(ROOT.resolve("pom.xml")).getElementsByTagName("license").item(0);
        assertThat(text(licence, "name")).isEqualTo("Apache-2.0");
    }

    @Test
    void shouldShipEachLibraryJarWithAModuleDescriptorThatExportsNoInternalPackageAndASourcesJar() throws Exception
    {
        for (final String module : LIBRARIES)
        {
            final Path target = ROOT.resolve(module).resolve("target");
            final Path jar = target.resolve("hostplane-" + module + "-" + version() + ".jar");
            assertThat(jar).as("library jar (run after package)").isRegularFile();
            assertThat(target.resolve("hostplane-" + module + "-" + version() + "-sources.jar")).isRegularFile();

            final ModuleDescriptor descriptor = ModuleFinder.of(jar).findAll().iterator().next().descriptor();

            assertThat(descriptor.isAutomatic()).as("%s has a module-info", jar).isFalse();
            assertThat(descriptor.name()).isEqualTo("dev.hostplane." + module);
            final List<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source).toList();
            assertThat(exported).as("exports of %s", descriptor.name()).contains("dev.hostplane." + module)
                .noneMatch((p) -> p.contains(".internal"));
        }
    }

    @Test
    void shouldLintTheJavadocOfExactlyTheExportedPackages() throws Exception
    {
        for (final String module : LIBRARIES)
        {
            final Path jar = ROOT.resolve(module).resolve("target")
                .resolve("hostplane-" + module + "-" + version() + ".jar");
            assertThat(jar).as("library jar (run after package)").isRegularFile();
            final ModuleDescriptor descriptor = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
            final List<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source).toList();

            final Element properties = (Element)pom(ROOT.resolve(module).resolve("pom.xml"))
                .getElementsByTagName("properties").item(0);
            assertThat(properties).as("%s/pom.xml sets the doclint properties", module).isNotNull();
            assertThat(text(properties, "hostplane.doclint")).as("%s doclint groups", module).isEqualTo("all/protected${hostplane.doclint.jdk}");
            assertThat(List.of(text(properties, "hostplane.doclint.packages").split(",")))
                .as("%s: doclint packages must be the exported ones", module)
                .containsExactlyInAnyOrderElementsOf(exported);
        }
    }

    @Test
    void shouldBuildTheExamplesOnPublicApiOnly() throws Exception
    {
        try (var files = Files.walk(ROOT.resolve("examples/src/main/java")))
        {
            for (final Path file : files.filter((f) -> f.toString().endsWith(".java")).toList())
            {
                assertThat(Files.readString(file)).as("%s", file).doesNotContainPattern("dev\\.hostplane\\.\\w+\\.internal");
            }
        }
    }

    @Test
    void shouldLogThroughSlf4jAndNeverPrintInLibraryMainCode() throws Exception
    {
        final List<String> prints = new ArrayList<>();
        for (final String module : LIBRARIES)
        {
            try (var files = Files.walk(ROOT.resolve(module).resolve("src/main/java")))
            {
                for (final Path file : files.filter((f) -> f.toString().endsWith(".java")).toList())
                {
                    final List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++)
                    {
                        final String code = lines.get(i).strip();
                        final boolean comment = code.startsWith("*") || code.startsWith("//") || code.startsWith("/*");
                        if (!comment && (code.contains("System.out") || code.contains("System.err") ||
                            code.contains("printStackTrace(")))
                        {
                            prints.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + code);
                        }
                    }
                }
            }
        }
        assertThat(prints).as("library code prints instead of logging through SLF4J").isEmpty();
    }

    private static String version() throws Exception
    {
        return text(pom(ROOT.resolve("pom.xml")), "version");
    }

    private static Element pom(final Path file) throws Exception
    {
        final Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return document.getDocumentElement();
    }

    /** The text of the first direct child element called {@code name}. */
    private static String text(final Element element, final String name)
    {
        for (Node child = element.getFirstChild(); null != child; child = child.getNextSibling())
        {
            if (child instanceof Element && name.equals(child.getNodeName()))
            {
                return child.getTextContent().trim();
            }
        }
        throw new AssertionError("no <" + name + "> in <" + element.getNodeName() + ">");
    }
}
