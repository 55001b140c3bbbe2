package com.ultracloud.deployer.gateway;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The module rules of DESIGN §2, checked on the compiled classes of every module. */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.ultracloud.deployer");
    }

    @Test
    void writeSideHasNoSpringAndNoJpa() {
        ArchRule rule = noClasses().that().resideInAPackage("com.ultracloud.deployer.machine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                        "org.hibernate..", "jakarta.servlet..")
                .because("the write side is plain Axon + domain code (DESIGN §2)");
        rule.check(classes);
    }

    @Test
    void domainServicesAndLifecycleArePureJava() {
        noClasses().that().resideInAnyPackage("com.ultracloud.deployer.machine.domain..",
                        "com.ultracloud.deployer.machine.lifecycle..")
                .should().dependOnClassesThat().resideInAnyPackage("org.axonframework..", "org.springframework..")
                .because("domain services and the transition table are pure and tested with plain JUnit")
                .check(classes);
    }

    @Test
    void projectionsSendNoCommands() {
        noClasses().that().resideInAPackage("com.ultracloud.deployer.projection..")
                .should().dependOnClassesThat().resideInAnyPackage("org.axonframework.commandhandling..",
                        "com.ultracloud.deployer.machine.api.command..", "com.ultracloud.deployer.machine.command..")
                .because("read models only listen (DESIGN §2)")
                .check(classes);
    }

    @Test
    void protocolIsPlainRecordsAndJackson() {
        classes().that().resideInAPackage("com.ultracloud.deployer.protocol..")
                .and().resideOutsideOfPackage("com.ultracloud.deployer.protocol.seal..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                        "com.ultracloud.deployer.protocol..")
                .because("the wire records are shared with the installer-client, which has no Spring and no Axon")
                .check(classes);
    }

    @Test
    void protocolSealingUsesOnlyBouncyCastlesLightweightApi() {
        classes().that().resideInAPackage("com.ultracloud.deployer.protocol.seal..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.fasterxml.jackson..",
                        "com.ultracloud.deployer.protocol..", "org.bouncycastle.crypto..", "org.bouncycastle.util..")
                .because("HPKE sealing of plan secrets is shared by the gateway and the installer (one implementation), "
                        + "without a JCA provider to register")
                .check(classes);
    }

    @Test
    void onlyTheGatewayKnowsTheGateway() {
        noClasses().that().resideOutsideOfPackages("com.ultracloud.deployer.gateway..", "com.ultracloud.deployer")
                .should().dependOnClassesThat().resideInAPackage("com.ultracloud.deployer.gateway..")
                .check(classes);
    }

    @Test
    void commandsAndEventsAreRecords() {
        classes().that().resideInAnyPackage("com.ultracloud.deployer.machine.api.command..",
                        "com.ultracloud.deployer.machine.api.event..", "com.ultracloud.deployer.machine.api.query..")
                .and().areNotInterfaces().and().doNotHaveSimpleName("package-info")
                .should().beRecords()
                .because("messages are immutable (STYLE §2)")
                .check(classes);
    }

    @Test
    void theAggregateIsNotPublic() {
        classes().that().haveSimpleName("Machine").and().resideInAPackage("com.ultracloud.deployer.machine.command")
                .should().notBePublic()
                .because("others talk to it only through commands and events")
                .check(classes);
    }

    @Test
    void everyApiControllerAnswersJsonOnly() {
        classes().that().areAnnotatedWith(RestController.class).and().resideInAPackage("com.ultracloud.deployer.gateway..")
                .and().doNotHaveSimpleName("ProblemErrorController")
                // serves the installer's netboot files, not an API; it declares produces = application/octet-stream
                .and().doNotHaveSimpleName("InstallerImageController")
                // answers Server-Sent Events; it declares produces = text/event-stream (its refusals are problem+json)
                .and().doNotHaveSimpleName("EventStreamController")
                .should(new ArchCondition<>("declare produces = application/json on its @RequestMapping") {
                    @Override
                    public void check(JavaClass controller, ConditionEvents events) {
                        boolean json = controller.tryGetAnnotationOfType(RequestMapping.class)
                                .map(m -> List.of(m.produces()).contains(MediaType.APPLICATION_JSON_VALUE)).orElse(false);
                        if (!json) {
                            events.add(SimpleConditionEvent.violated(controller, controller.getName()
                                    + " does not declare produces = application/json"));
                        }
                    }
                })
                .because("an Accept the answer cannot meet must be refused (406) before the handler acts, not after")
                .check(classes);
    }
}
