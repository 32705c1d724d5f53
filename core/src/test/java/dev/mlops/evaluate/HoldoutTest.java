package dev.mlops.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import dev.mlops.model.ModelSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoldoutTest {
    static final ModelSchema CHURN = new ModelSchema("classification", List.of("age", "spend"), "churned", List.of("no", "yes"));
    static final ModelSchema PRICE = new ModelSchema("regression", List.of("rooms", "area"), "price", List.of());

    @TempDir
    Path dir;

    Path csv(String content) throws IOException {
        Path file = dir.resolve("holdout.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void readsFeaturesInSchemaOrderLabelsAsClassIndexesAndSlicesAsStrings() throws IOException {
        Path file = csv("id,spend,churned,age,region\n1,10.5,yes,30,north\n2,0.25,no,41,south\n3,-3e2,yes,19,north\n");
        Holdout h = Holdout.read(file, CHURN, Holdout.Options.defaults().withSliceColumns(List.of("region")));
        assertEquals(3, h.rows());
        assertEquals(30f, h.feature(0, 0));
        assertEquals(10.5f, h.feature(0, 1));
        assertEquals(-300f, h.feature(2, 1));
        assertArrayEquals(new int[] {1, 0, 1}, h.classIndexes());
        assertEquals("south", h.sliceValue("region", 1));
        assertEquals(List.of("region"), h.sliceColumns());
        assertEquals("churned", h.labelColumn());
    }

    @Test
    void acceptsIntegerLabelsMatchingClassNames() throws IOException {
        ModelSchema digits = new ModelSchema("classification", List.of("x"), "y", List.of("0", "1", "2"));
        Holdout h = Holdout.read(csv("x,y\n1,2\n2,0\n3,1.0\n4, 1 \n"), digits);
        assertArrayEquals(new int[] {2, 0, 1, 1}, h.classIndexes());
    }

    @Test
    void integerLabelsAreNeverPositionsInTheClassList() throws IOException {
        Path file = csv("age,spend,churned\n1,2,1\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Holdout.read(file, CHURN));
        assertTrue(e.getMessage().contains("unknown class '1'"), e.getMessage());
        assertTrue(e.getMessage().contains("[no, yes]"), e.getMessage());
    }

    @Test
    void readsRegressionTargetsAndALabelOverride() throws IOException {
        Holdout h = Holdout.read(csv("rooms,area,price,sale_price\n3,80,1,250000.5\n2,55.5,2,180000\n"), PRICE,
                Holdout.Options.defaults().withLabelColumn("sale_price"));
        assertArrayEquals(new double[] {250000.5, 180000}, h.targets());
        assertEquals("sale_price", h.labelColumn());
    }

    @Test
    void handlesQuotesCrlfBomBlankLinesAndEmbeddedNewlines() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String body = "age,spend,churned,region\r\n\"30\",1,yes,\"north, east\"\r\n\r\n41,2,no,\"say \"\"hi\"\"\nthere\"\r\n";
        Path file = dir.resolve("quoted.csv");
        Files.write(file, concat(bom, body.getBytes(StandardCharsets.UTF_8)));
        Holdout h = Holdout.read(file, CHURN, Holdout.Options.defaults().withSliceColumns(List.of("region")));
        assertEquals(2, h.rows());
        assertEquals("north, east", h.sliceValue("region", 0));
        assertEquals("say \"hi\"\nthere", h.sliceValue("region", 1));
    }

    @Test
    void parsesNumbersExactlyLikeTheJdk() throws IOException {
        String[] cells = {"0.1", "-0.000123", "1e-7", "12345678901234567890", "3.14159265358979323846", "1E+3", "+7", ".5", "5.",
            "0.30000000000000004", "1.7976931348623157e308", "4.9e-324"};
        for (String cell : cells) {
            byte[] b = cell.getBytes(StandardCharsets.US_ASCII);
            assertEquals(Double.parseDouble(cell), FastNumbers.parse(b, 0, b.length), cell);
        }
        for (String bad : new String[] {"abc", "1.2.3", "1e", "--1", "0x10", "1f", "1d", ""}) {
            byte[] b = bad.getBytes(StandardCharsets.US_ASCII);
            assertThrows(NumberFormatException.class, () -> FastNumbers.parse(b, 0, b.length), bad);
        }
        assertTrue(Double.isNaN(FastNumbers.parse("nan".getBytes(StandardCharsets.US_ASCII), 0, 3)));
    }

    @Test
    void parsesRandomDecimalsExactlyLikeTheJdk() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(17);
        for (int i = 0; i < 200_000; i++) {
            double v = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(-70, 70));
            String[] forms = {Double.toString(v), Float.toString((float) v), String.format(java.util.Locale.ROOT, "%.6f", v),
                String.format(java.util.Locale.ROOT, "%.3e", v), String.format(java.util.Locale.ROOT, "%.15g", v),
                Long.toString(rng.nextLong() >> rng.nextInt(64))};
            for (String cell : forms) {
                byte[] b = cell.getBytes(StandardCharsets.US_ASCII);
                assertEquals(Double.parseDouble(cell), FastNumbers.parse(b, 0, b.length), cell);
            }
        }
    }

    @Test
    void rejectsAnEmptyFile() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Holdout.read(csv(""), CHURN));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        assertTrue(e.getMessage().contains("holdout.csv"), e.getMessage());
    }

    @Test
    void rejectsAHeaderWithoutRows() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Holdout.read(csv("age,spend,churned\n"), CHURN));
        assertTrue(e.getMessage().contains("no data rows"), e.getMessage());
    }

    @Test
    void rejectsAMissingFile() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Holdout.read(dir.resolve("nope.csv"), CHURN));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void rejectsAMissingLabelColumnListingTheColumnsPresent() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Holdout.read(csv("age,spend,label\n1,2,yes\n"), CHURN));
        assertTrue(e.getMessage().contains("no label column 'churned'"), e.getMessage());
        assertTrue(e.getMessage().contains("[age, spend, label]"), e.getMessage());
    }

    @Test
    void rejectsMissingFeatureColumnsListingWhatIsMissingAndWhatIsThere() throws IOException {
        ModelSchema wide = new ModelSchema("classification", List.of("age", "spend", "tenure", "plan"), "churned", List.of("no", "yes"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Holdout.read(csv("age,spend,churned\n1,2,yes\n"), wide));
        assertTrue(e.getMessage().contains("missing feature columns [tenure, plan]"), e.getMessage());
        assertTrue(e.getMessage().contains("columns present: [age, spend, churned]"), e.getMessage());
    }

    @Test
    void rejectsAMissingSliceColumn() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Holdout.read(csv("age,spend,churned\n1,2,yes\n"),
                CHURN, Holdout.Options.defaults().withSliceColumns(List.of("region"))));
        assertTrue(e.getMessage().contains("no slice column [region]"), e.getMessage());
    }

    @Test
    void rejectsAnEmptyFeatureValueNamingFileLineAndColumn() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Holdout.read(csv("age,spend,churned\n1,2,yes\n3,,no\n"), CHURN));
        assertTrue(e.getMessage().contains("holdout.csv line 3 column 'spend': empty value"), e.getMessage());
        assertTrue(e.getMessage().contains("impute"), e.getMessage());
    }

    @Test
    void rejectsNaNFeatureValues() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Holdout.read(csv("age,spend,churned\nNaN,2,yes\n"), CHURN));
        assertTrue(e.getMessage().contains("line 2 column 'age': NaN value"), e.getMessage());
    }

    @Test
    void rejectsInfiniteFeatureValues() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Holdout.read(csv("age,spend,churned\n1,-inf,yes\n"), CHURN));
        assertTrue(e.getMessage().contains("column 'spend': infinite value '-inf'"), e.getMessage());
    }

    @Test
    void rejectsNonNumericFeatureValues() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Holdout.read(csv("age,spend,churned\n1,2,yes\n2,lots,no\n"), CHURN));
        assertTrue(e.getMessage().contains("line 3 column 'spend': 'lots' is not a number"), e.getMessage());
    }

    @Test
    void rejectsUnknownClassLabels() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Holdout.read(csv("age,spend,churned\n1,2,maybe\n"), CHURN));
        assertTrue(e.getMessage().contains("line 2 column 'churned': unknown class 'maybe'; the model's classes are [no, yes]"),
                e.getMessage());
    }

    @Test
    void rejectsNonNumericRegressionLabels() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Holdout.read(csv("rooms,area,price\n1,2,cheap\n"), PRICE));
        assertTrue(e.getMessage().contains("column 'price': 'cheap' is not a number"), e.getMessage());
    }

    @Test
    void rejectsRowsWithTheWrongNumberOfFields() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Holdout.read(csv("age,spend,churned\n1,2,yes\n1,2,3,yes\n"), CHURN));
        assertTrue(e.getMessage().contains("line 3: 4 fields but the header has 3"), e.getMessage());
    }

    @Test
    void rejectsUnterminatedQuotes() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Holdout.read(csv("age,spend,churned\n1,\"2,yes\n"), CHURN));
        assertTrue(e.getMessage().contains("unterminated quoted field"), e.getMessage());
    }

    @Test
    void rejectsDuplicateHeaderColumns() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Holdout.read(csv("age,spend,age,churned\n1,2,3,yes\n"), CHURN));
        assertTrue(e.getMessage().contains("'age' appears twice"), e.getMessage());
    }

    @Test
    void rejectsSliceColumnsThatAreIds() throws IOException {
        StringBuilder b = new StringBuilder("age,spend,churned,user\n");
        for (int i = 0; i <= Holdout.MAX_SLICE_VALUES; i++) {
            b.append("1,2,yes,u").append(i).append('\n');
        }
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Holdout.read(csv(b.toString()), CHURN, Holdout.Options.defaults().withSliceColumns(List.of("user"))));
        assertTrue(e.getMessage().contains("more than 1000 distinct values"), e.getMessage());
    }

    @Test
    void readsALargeFileAcrossBufferBoundaries() throws IOException {
        StringBuilder b = new StringBuilder("age,spend,churned\n");
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            b.append(i).append(',').append(i * 0.25).append(',').append(i % 3 == 0 ? "yes" : "no").append('\n');
        }
        Holdout h = Holdout.read(csv(b.toString()), CHURN);
        assertEquals(n, h.rows());
        assertEquals(49_999f, h.feature(n - 1, 0));
        assertEquals((float) (49_999 * 0.25), h.feature(n - 1, 1));
        assertEquals(1, h.classIndex(n - 1 - (n - 1) % 3));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
