package dev.hostplane.syslog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.hostplane.syslog.internal.template.RegexTranslator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random POSIX expressions from the grammar the engine accepts (literals, {@code .}, bracket
 * expressions with classes, groups, alternation, {@code * + ?} and intervals, nested) against random
 * 4 KiB inputs made of the same few characters, the worst case for a backtracking engine: every
 * search ends within a bound that only a linear-time engine keeps (a backtracking one needs
 * seconds to hours for nested stars on such input).
 */
class RegexLinearTimeTest
{
    private static final String ALPHABET = "ab,x ";

    @Provide
    Arbitrary<String> ere()
    {
        return Arbitraries.recursive(this::atom, inner -> Arbitraries.oneOf(
            Combinators.combine(inner, inner).as((a, b) -> a + b),
            Combinators.combine(inner, inner).as((a, b) -> "(" + a + "|" + b + ")"),
            inner.map(a -> "(" + a + ")*"),
            inner.map(a -> "(" + a + ")+"),
            inner.map(a -> "(" + a + ")?"),
            Combinators.combine(inner, Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 4))
                .as((a, lo, extra) -> "(" + a + "){" + lo + "," + (lo + extra) + "}")), 6);
    }

    private Arbitrary<String> atom()
    {
        return Arbitraries.of("a", "b", ",", "x", ".", ".*", "[ab]", "[^,]", "[[:alpha:]]*", "[[:space:],]", "(.*),",
            "\\.", "a*", "[a-b]+");
    }

    @Provide
    Arbitrary<String> input()
    {
        return Arbitraries.strings().withChars(ALPHABET).ofMinLength(4096).ofMaxLength(4096);
    }

    @Property(tries = 200)
    void everySearchEndsInBoundedTime(@ForAll("ere") final String ere, @ForAll("input") final String input)
    {
        final Pattern p = RegexTranslator.compile(ere, true, false);
        // Generous for a 2-core CI box under load; a backtracking engine takes far longer on these inputs.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        {
            final Matcher m = p.matcher(input);
            int found = 0;
            while (found < 3 && m.find())
            {
                found++;
            }
            assertThat(found).isBetween(0, 3);
        });
    }

    @Property(tries = 20)
    void theIssuesPatternIsLinear(@ForAll("input") final String input)
    {
        final Pattern p = RegexTranslator.compile("(.*),(.*),(.*),(.*)x", true, false);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> p.matcher(input).find());
    }
}
