package io.datapusher;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

/**
 * Dependencies between the feature packages run one way, so a reader follows a request from any
 * resource down to the database without coming back to a package already visited.
 */
class ArchitectureTest {
    private static final String ROOT = "io.datapusher";

    /** Bottom first: each package may use the ones before it, never one after it. */
    private static final List<String> LAYERS = List.of(
            "common", "platform", "auth", "member", "account", "destination", "ingest", "delivery", "console");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void everyPackageHasItsPlaceInTheLayers() {
        Set<String> packages = new TreeSet<>();
        for (JavaClass type : classes) {
            String rest = type.getPackageName().substring(ROOT.length());
            packages.add(rest.isEmpty() ? "(root)" : rest.substring(1).split("\\.")[0]);
        }
        assertEquals(new TreeSet<>(LAYERS), packages, "place a new package in LAYERS");
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            architecture = architecture.layer(layer).definedBy(ROOT + "." + layer + "..");
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new);
            architecture = architecture.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(above);
        }
        architecture = architecture.whereLayer(LAYERS.get(LAYERS.size() - 1)).mayNotBeAccessedByAnyLayer();
        architecture.check(classes);
    }

    @Test
    void noCycleBetweenPackages() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }
}
