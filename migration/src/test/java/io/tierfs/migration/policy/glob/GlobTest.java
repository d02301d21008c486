package io.tierfs.migration.policy.glob;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobTest {
    static boolean m(String glob, String path) {
        return Glob.compile(glob).matches(path);
    }

    @Test
    void starStaysInASegmentDoubleStarCrosses() {
        assertTrue(m("/scratch/*.h5", "/scratch/a.h5"));
        assertFalse(m("/scratch/*.h5", "/scratch/x/a.h5"));
        assertTrue(m("/scratch/**", "/scratch/x/y/a.h5"));
        assertTrue(m("/scratch/**/a.h5", "/scratch/a.h5"));
        assertTrue(m("/scratch/**/a.h5", "/scratch/x/y/a.h5"));
        assertFalse(m("/scratch/**", "/home/a"));
        assertTrue(m("/a?c", "/abc"));
        assertFalse(m("/a?c", "/a/c"));
    }

    @Test
    void classesAlternativesEscapesAndRelativeGlobs() {
        assertTrue(m("/run[0-9]", "/run7"));
        assertFalse(m("/run[0-9]", "/runx"));
        assertTrue(m("/run[!0-9]", "/runx"));
        assertFalse(m("/run[!0-9]", "/run7"));
        assertFalse(m("/a[!x]b", "/a/b"));
        assertTrue(m("/data.{h5,nc}", "/data.nc"));
        assertFalse(m("/data.{h5,nc}", "/data.csv"));
        assertTrue(m("/a\\*b", "/a*b"));
        assertFalse(m("/a\\*b", "/axb"));
        assertTrue(m("*.chk", "/x/y/z.chk"));
        assertTrue(m("*.chk", "/z.chk"));
        assertFalse(m("*.chk", "/z.chk.bak"));
        assertTrue(m("/exact/path.txt", "/exact/path.txt"));
        assertFalse(m("/exact/path.txt", "/exact/pathXtxt"));
    }

    @Test
    void badGlobsNameTheColumn() {
        assertEquals(3, assertThrows(GlobSyntaxException.class, () -> Glob.compile("/a[bc")).column());
        assertEquals(3, assertThrows(GlobSyntaxException.class, () -> Glob.compile("/a{b,c")).column());
        assertEquals(3, assertThrows(GlobSyntaxException.class, () -> Glob.compile("/a\\")).column());
        assertEquals(5, assertThrows(GlobSyntaxException.class, () -> Glob.compile("/a{b{c}}")).column());
        assertEquals(3, assertThrows(GlobSyntaxException.class, () -> Glob.compile("/a]")).column());
        assertEquals(3, assertThrows(GlobSyntaxException.class, () -> Glob.compile("/a}")).column());
        assertEquals(4, assertThrows(GlobSyntaxException.class, () -> Glob.compile("/[z-a]")).column());
        assertThrows(GlobSyntaxException.class, () -> Glob.compile(""));
    }

    @Test
    void valuePatterns() {
        assertTrue(ValuePattern.compile("*").matches(""));
        assertFalse(ValuePattern.compile("*").matches(null));
        assertTrue(ValuePattern.compile("y?s").matches("yes"));
        assertTrue(ValuePattern.compile("a/*").matches("a/b/c"));
        assertFalse(ValuePattern.compile("yes").matches("yess"));
    }
}
