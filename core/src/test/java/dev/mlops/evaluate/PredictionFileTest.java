package dev.mlops.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionFileTest {
    @TempDir
    Path dir;

    Path csv(String content) throws IOException {
        Path file = dir.resolve("predictions.csv");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void readsOneProbabilityColumnPerClassInAnyOrder() throws IOException {
        ModelScores s = PredictionFile.read(csv("id,yes,no\n1,0.8,0.2\n2,0.1,0.9\n"), HoldoutTest.CHURN, 2);
        assertEquals(2, s.rows());
        assertEquals(0.2, s.probability(0, 0));
        assertEquals(0.8, s.probability(0, 1));
        assertEquals(1, s.predictedClass(0));
        assertEquals(0, s.predictedClass(1));
    }

    @Test
    void readsARegressionPredictionColumn() throws IOException {
        ModelScores s = PredictionFile.read(csv("prediction\n1.5\n-2\n"), HoldoutTest.PRICE, 2);
        assertEquals(-2.0, s.value(1));
    }

    @Test
    void rejectsARowCountMismatch() throws IOException {
        Path file = csv("no,yes\n0.5,0.5\n0.4,0.6\n0.3,0.7\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PredictionFile.read(file, HoldoutTest.CHURN, 2));
        assertTrue(e.getMessage().contains("has 3 rows but the holdout has 2"), e.getMessage());
        assertTrue(e.getMessage().contains("row-aligned"), e.getMessage());
    }

    @Test
    void rejectsFewerRowsThanTheHoldout() throws IOException {
        Path file = csv("no,yes\n0.5,0.5\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PredictionFile.read(file, HoldoutTest.CHURN, 4));
        assertTrue(e.getMessage().contains("has 1 rows but the holdout has 4"), e.getMessage());
    }

    @Test
    void rejectsMissingClassColumns() throws IOException {
        Path file = csv("prediction\nyes\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PredictionFile.read(file, HoldoutTest.CHURN, 1));
        assertTrue(e.getMessage().contains("missing columns [no, yes]"), e.getMessage());
        assertTrue(e.getMessage().contains("one probability column per class"), e.getMessage());
    }

    @Test
    void rejectsAMissingRegressionPredictionColumn() throws IOException {
        Path file = csv("pred\n1\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PredictionFile.read(file, HoldoutTest.PRICE, 1));
        assertTrue(e.getMessage().contains("missing column [prediction]"), e.getMessage());
    }

    @Test
    void rejectsProbabilitiesOutsideZeroToOne() throws IOException {
        Path file = csv("no,yes\n-1.2,2.2\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PredictionFile.read(file, HoldoutTest.CHURN, 1));
        assertTrue(e.getMessage().contains("line 2 column 'no': probability -1.2 outside [0, 1]"), e.getMessage());
    }

    @Test
    void rejectsNonNumericAndEmptyValues() throws IOException {
        Path bad = csv("no,yes\n0.5,high\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PredictionFile.read(bad, HoldoutTest.CHURN, 1));
        assertTrue(e.getMessage().contains("column 'yes': 'high' is not a number"), e.getMessage());
        Path empty = csv("prediction\n\"\"\n");
        e = assertThrows(InvalidInputException.class, () -> PredictionFile.read(empty, HoldoutTest.PRICE, 1));
        assertTrue(e.getMessage().contains("empty value"), e.getMessage());
    }

    @Test
    void rejectsAnEmptyFile() throws IOException {
        Path file = csv("");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PredictionFile.read(file, HoldoutTest.CHURN, 1));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }
}
