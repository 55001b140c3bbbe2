package com.ultracloud.deployer.protocol.disk;

import com.ultracloud.deployer.protocol.disk.RootDeviceHintException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RootDeviceHintsTest {

    @Test
    void noHintsWhenTheMapIsNullOrEmpty() {
        assertThat(RootDeviceHints.parse(null).isEmpty()).isTrue();
        assertThat(RootDeviceHints.parse(Map.of())).isEqualTo(RootDeviceHints.none());
    }

    @Test
    void aBareSizeMeansEqualWhetherJsonNumberOrString() {
        assertThat(RootDeviceHints.parse(Map.of("size", 500)).expressions()).containsEntry("size", "== 500");
        assertThat(RootDeviceHints.parse(Map.of("size", 500L)).expressions()).containsEntry("size", "== 500");
        assertThat(RootDeviceHints.parse(Map.of("size", " 500 ")).expressions()).containsEntry("size", "== 500");
    }

    @ParameterizedTest
    @ValueSource(strings = {"== 500", "!= 500", ">= 500", "<= 500", "> 500", "< 500"})
    void everySizeOperatorIsAccepted(String expression) {
        assertThat(RootDeviceHints.parse(Map.of("size", expression)).expressions())
                .containsEntry("size", expression);
    }

    @Test
    void sizeOperatorsNeedNoSpaceBeforeTheNumber() {
        assertThat(RootDeviceHints.parse(Map.of("size", ">=500")).expressions()).containsEntry("size", ">= 500");
        assertThat(RootDeviceHints.parse(Map.of("size", "  <=   2000 ")).expressions())
                .containsEntry("size", "<= 2000");
    }

    @Test
    void aPlainStringValueMeansStringEqualsAndKeepsItsSpelling() {
        RootDeviceHints hints = RootDeviceHints.parse(Map.of("model", "  INTEL SSDSC2KB480G8 "));

        assertThat(hints.hint("model")).contains(new RootDeviceHint.Text("model",
                RootDeviceHint.TextOperator.EQUALS, List.of("INTEL SSDSC2KB480G8")));
        assertThat(hints.expressions()).containsEntry("model", "s== INTEL SSDSC2KB480G8");
    }

    @Test
    void stringOperatorsAreRecognisedInAnyCase() {
        RootDeviceHints hints = RootDeviceHints.parse(Map.of(
                "vendor", "S!= ATA", "model", "<IN> MZQL2", "serial", "s==PHYF912300AB480BGN"));

        assertThat(hints.expressions()).containsExactly(
                Map.entry("model", "<in> MZQL2"),
                Map.entry("vendor", "s!= ATA"),
                Map.entry("serial", "s== PHYF912300AB480BGN"));
    }

    @Test
    void orSplitsIntoAlternatives() {
        RootDeviceHints hints = RootDeviceHints.parse(Map.of("vendor", "<or> INTEL <or>SAMSUNG <OR> Micron"));

        assertThat(hints.hint("vendor")).contains(new RootDeviceHint.Text("vendor",
                RootDeviceHint.TextOperator.ANY_OF, List.of("INTEL", "SAMSUNG", "Micron")));
        assertThat(hints.expressions()).containsEntry("vendor", "<or> INTEL <or> SAMSUNG <or> Micron");
    }

    @Test
    void nameAndByPathValuesAreCompletedToFullPaths() {
        RootDeviceHints hints = RootDeviceHints.parse(Map.of(
                "name", "sda", "by_path", "pci-0000:00:17.0-ata-1"));

        assertThat(hints.expressions())
                .containsEntry("name", "s== /dev/sda")
                .containsEntry("by_path", "s== /dev/disk/by-path/pci-0000:00:17.0-ata-1");
        assertThat(RootDeviceHints.parse(Map.of("by_path", "<in> ata-1")).expressions())
                .containsEntry("by_path", "<in> ata-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "yes", "Yes", "y", "t", "1", "on", "On"})
    void rotationalAcceptsTheUsualTrueForms(String word) {
        assertThat(RootDeviceHints.parse(Map.of("rotational", word)).hint("rotational"))
                .contains(new RootDeviceHint.Rotational(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "no", "NO", "n", "f", "0", "off", " OFF "})
    void rotationalAcceptsTheUsualFalseForms(String word) {
        assertThat(RootDeviceHints.parse(Map.of("rotational", word)).hint("rotational"))
                .contains(new RootDeviceHint.Rotational(false));
    }

    @Test
    void rotationalAcceptsJsonBooleansAndZeroOrOne() {
        assertThat(RootDeviceHints.parse(Map.of("rotational", true)).expressions()).containsEntry("rotational", "true");
        assertThat(RootDeviceHints.parse(Map.of("rotational", false)).expressions()).containsEntry("rotational", "false");
        assertThat(RootDeviceHints.parse(Map.of("rotational", 1)).expressions()).containsEntry("rotational", "true");
        assertThat(RootDeviceHints.parse(Map.of("rotational", 0)).expressions()).containsEntry("rotational", "false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "", "2", "yess"})
    void rotationalRejectsAnythingThatIsNotABoolean(String word) {
        assertProblem(Map.of("rotational", word), "rotational", "is not a boolean");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tran", "Size", "byPath", "disk"})
    void unknownHintNamesAreErrorsThatListTheValidOnes(String name) {
        assertProblem(Map.of(name, "x"), name, "unknown hint; valid hints are name, size, model");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "== 0", "-5", ">= -5"})
    void sizeMustBePositive(String expression) {
        assertProblem(Map.of("size", expression), "size", "must be a positive whole number of GiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "500 GiB", "500GB", ">= 500 <= 2000", "99999999999999999999"})
    void sizeMustBeAWholeNumber(String expression) {
        assertProblem(Map.of("size", expression), "size", "is not a whole number of GiB");
    }

    @Test
    void sizeRejectsJsonFractionsAndBooleans() {
        assertProblem(Map.of("size", 1.5), "size", "must be a whole number of GiB");
        assertProblem(Map.of("size", 500.0), "size", "must be a whole number of GiB");
        assertProblem(Map.of("size", true), "size", "must be a whole number of GiB");
        assertProblem(Map.of("size", 0), "size", "must be a positive whole number of GiB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"= 500", "=> 500", "s== 500", "<in> 500", "<or> 500 <or> 600", "s>= 500"})
    void sizeRejectsOperatorsItDoesNotTake(String expression) {
        assertProblem(Map.of("size", expression), "size", "is not valid for size");
    }

    @Test
    void theLegacyEqualsOnSizeIsRefusedWithBothReadingsSpeltOut() {
        // Ironic reads "= 500" as ">= 500": refused here rather than read one way or the other
        assertProblem(Map.of("size", "= 500"), "size", "Ironic reads '= 500' as '>= 500'; write '>= 500' for at least 500 GiB "
                + "or '== 500' (or 500) for exactly 500 GiB");
        assertProblem(Map.of("size", "=500"), "size", "write '>= 500'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"== INTEL", ">= INTEL", "!= INTEL", "s< INTEL", "<all-in> INTEL", "<foo> INTEL", "= INTEL"})
    void stringHintsRejectNumericAndUnknownOperators(String expression) {
        assertProblem(Map.of("model", expression), "model", "is not valid for a string hint");
    }

    @Test
    void orMustComeFirst() {
        assertProblem(Map.of("vendor", "INTEL <or> SAMSUNG"), "vendor", "with <or> first");
        assertProblem(Map.of("model", "s== INTEL <in> SSD"), "model", "takes one operator");
    }

    @Test
    void anEmptyOrAlternativeIsAnError() {
        assertProblem(Map.of("vendor", "<or> INTEL <or> <or> SAMSUNG"), "vendor", "empty <or> alternative");
        assertProblem(Map.of("vendor", "<or> INTEL <or>"), "vendor", "empty <or> alternative");
    }

    @Test
    void anOperatorWithoutValueIsAnError() {
        assertProblem(Map.of("size", ">="), "size", "operator '>=' has no value");
        assertProblem(Map.of("serial", "s== "), "serial", "operator 's==' has no value");
    }

    @Test
    void emptyMissingAndNonStringValuesAreErrors() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("model", "  ");
        raw.put("wwn", null);
        raw.put("serial", 12345);

        RootDeviceHintException e = catchThrowableOfType(() -> RootDeviceHints.parse(raw),
                RootDeviceHintException.class);

        assertThat(e.problems()).containsExactly(
                new Problem("model", "is empty"),
                new Problem("wwn", "has no value"),
                new Problem("serial", "must be a string; got integer 12345"));
    }

    @Test
    void everyProblemIsReportedWithItsHintName() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("size", "0");
        raw.put("rotational", "maybe");
        raw.put("tran", "sata");
        raw.put("model", ">= 5");
        raw.put("serial", "S64GNE0R700123");

        assertThatThrownBy(() -> RootDeviceHints.parse(raw))
                .isInstanceOf(RootDeviceHintException.class)
                .hasMessageStartingWith("invalid root device hints: size: ")
                .hasMessageContaining("rotational: 'maybe' is not a boolean")
                .hasMessageContaining("tran: unknown hint")
                .hasMessageContaining("model: operator '>=' is not valid");
        RootDeviceHintException e = catchThrowableOfType(() -> RootDeviceHints.parse(raw),
                RootDeviceHintException.class);
        assertThat(e.problems()).extracting(Problem::hint).containsExactly("size", "rotational", "tran", "model");
    }

    @Test
    void hintsAreListedInCanonicalOrderWhateverTheInputOrder() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("rotational", "no");
        raw.put("serial", "S64GNE0R700123");
        raw.put("size", ">= 1000");
        raw.put("name", "/dev/nvme0n1");

        assertThat(RootDeviceHints.parse(raw).expressions().keySet())
                .containsExactly("name", "size", "serial", "rotational");
        assertThat(RootDeviceHints.parse(raw)).hasToString(
                "name s== /dev/nvme0n1, size >= 1000, serial s== S64GNE0R700123, rotational false");
    }

    private static void assertProblem(Map<String, ?> raw, String hint, String messagePart) {
        RootDeviceHintException e = catchThrowableOfType(() -> RootDeviceHints.parse(raw),
                RootDeviceHintException.class);
        assertThat(e).as("hints %s must be rejected", raw).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.hint()).isEqualTo(hint);
            assertThat(p.message()).contains(messagePart);
        });
    }
}
