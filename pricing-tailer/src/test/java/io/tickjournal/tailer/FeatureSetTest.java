package io.tickjournal.tailer;

import io.tickjournal.journal.sbe.FeatureSnapshotDecoder;
import io.tickjournal.journal.sbe.FeatureSnapshotEncoder;
import io.tickjournal.journal.sbe.MessageHeaderDecoder;
import io.tickjournal.journal.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FeatureSetTest
{
    @Test
    void shouldLayItsValuesOutExactlyAsTheGeneratedEncoderDoes()
    {
        final FeatureSet features = new FeatureSet();
        final long[] mantissas = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE + 1, 123_456_789_012L, -42};
        for (int i = 0; i < mantissas.length; i++)
        {
            features.add(1000 + i * 7, mantissas[i], -i * 3);
        }
        features.add(65_535, 5, 127);
        features.add(0, 6, -128);

        // the reference: the SBE-generated encoder, entry by entry
        final UnsafeBuffer expected = new UnsafeBuffer(new byte[2048]);
        final FeatureSnapshotEncoder encoder = new FeatureSnapshotEncoder().wrapAndApplyHeader(expected, 0, new MessageHeaderEncoder());
        final FeatureSnapshotEncoder.ValuesEncoder values = encoder.valuesCount(features.count());
        for (int i = 0; i < features.count(); i++)
        {
            values.next().featureId(features.id(i)).mantissa(features.mantissa(i)).exponent((byte)features.exponent(i));
        }
        final int expectedLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        final UnsafeBuffer actual = new UnsafeBuffer(new byte[2048]);
        final FeatureSnapshotEncoder direct = new FeatureSnapshotEncoder().wrapAndApplyHeader(actual, 0, new MessageHeaderEncoder());
        direct.valuesCount(features.count());
        final int groupAt = MessageHeaderEncoder.ENCODED_LENGTH + direct.encodedLength();
        final int length = groupAt + features.putValues(actual, groupAt);

        assertEquals(expectedLength, length);
        for (int i = 0; i < expectedLength; i++)
        {
            assertEquals(expected.getByte(i), actual.getByte(i), "byte " + i);
        }
        final FeatureSnapshotDecoder decoder = new FeatureSnapshotDecoder().wrapAndApplyHeader(actual, 0, new MessageHeaderDecoder());
        int i = 0;
        for (final FeatureSnapshotDecoder.ValuesDecoder v : decoder.values())
        {
            assertEquals(features.id(i), v.featureId());
            assertEquals(features.mantissa(i), v.mantissa());
            assertEquals(features.exponent(i), v.exponent());
            i++;
        }
        assertEquals(features.count(), i);
    }

    @Test
    void absentFeaturesAreLeftOutOfTheCountTheIndexedViewTheSlotsWalkAndTheEncoding()
    {
        final FeatureSet features = new FeatureSet();
        final long[] mantissas = {5, Long.MIN_VALUE, -7, Long.MIN_VALUE, Long.MIN_VALUE, 9};
        for (int i = 0; i < mantissas.length; i++)
        {
            features.add(100 + i, mantissas[i], -i);
        }
        assertEquals(3, features.count());
        final long[] expectedIds = {100, 102, 105};
        final long[] expectedMantissas = {5, -7, 9};
        int present = 0;
        for (int s = 0; s < features.slots(); s++)
        {
            if (features.slotMantissa(s) != Long.MIN_VALUE)
            {
                assertEquals(expectedIds[present], features.slotKey(s) >>> 32);
                assertEquals(expectedMantissas[present], features.slotMantissa(s));
                present++;
            }
        }
        assertEquals(3, present);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
        assertEquals(3 * 11, features.putValues(out, 0));
        for (int i = 0; i < 3; i++)
        {
            assertEquals(expectedIds[i], features.id(i));
            assertEquals(expectedMantissas[i], features.mantissa(i));
            assertEquals(expectedIds[i], out.getShort(i * 11, FeatureSnapshotEncoder.BYTE_ORDER));
            assertEquals(expectedMantissas[i], out.getLong(i * 11 + 2, FeatureSnapshotEncoder.BYTE_ORDER));
            assertEquals(features.exponent(i), out.getByte(i * 11 + 10));
        }
    }
}
