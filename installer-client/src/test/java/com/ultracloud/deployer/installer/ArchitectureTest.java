package com.ultracloud.deployer.installer;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** DESIGN §2: the installer is plain Java (Jackson, JDK HttpClient, picocli); no Spring, no Axon. */
@AnalyzeClasses(packages = "com.ultracloud.deployer.installer", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noSpringNoAxon = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "org.axonframework..", "jakarta.persistence..", "org.hibernate..")
            .because("the installer runs on the bare machine from a small jar (DESIGN §2)");

    @ArchTest
    static final ArchRule onlyTheJdkJacksonPicocliAndTheWireRecords = classes().should().onlyDependOnClassesThat()
            .resideInAnyPackage("com.ultracloud.deployer.installer..", "com.ultracloud.deployer.protocol..",
                    "java..", "javax..", "com.fasterxml.jackson..", "picocli..")
            .because("wire records come from protocol/, never from the deployer's write side, and are never copied");

    @ArchTest
    static final ArchRule factsKnowNothingOfTheCommandLine = noClasses()
            .that().resideInAPackage("..installer.facts..")
            .should().dependOnClassesThat().resideInAnyPackage("..installer.cli..", "picocli..");

    @ArchTest
    static final ArchRule runLabAndAgentKnowNothingOfTheCommandLine = noClasses()
            .that().resideInAnyPackage("..installer.run..", "..installer.lab..", "..installer.agent..")
            .should().dependOnClassesThat().resideInAnyPackage("..installer.cli..", "picocli..")
            .because("the install logic is driven by the command line, never the other way round");
}
