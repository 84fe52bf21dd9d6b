package dev.hostplane.vswitch.classifier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.hostplane.vswitch.action.Action;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * OpenFlow groups (VS-D4): a group of type {@link Type#ALL} runs every bucket on its own copy of
 * the frame (multicast, mirroring); {@link Type#SELECT} runs one bucket chosen by a hash of the
 * flow (multipath, ECMP-style). Copy-on-write: the data plane reads an immutable map through a
 * volatile field.
 */
public final class GroupTable
{
    /** Group type. */
    public enum Type
    {
        /** Every bucket. */
        ALL,
        /** One bucket by flow hash. */
        SELECT
    }

    /**
     * A group.
     *
     * @param id group id.
     * @param type group type.
     * @param buckets action list per bucket.
     */
    public record Group(int id, Type type, List<List<Action>> buckets)
    {
        /**
         * Validates and copies the buckets.
         *
         * @param id group id.
         * @param type group type.
         * @param buckets action list per bucket.
         */
        public Group
        {
            if (buckets.isEmpty())
            {
                throw new IllegalArgumentException("group needs at least one bucket: id=" + id);
            }
            final List<List<Action>> copy = new ArrayList<>();
            for (final List<Action> b : buckets)
            {
                copy.add(List.copyOf(b));
            }
            buckets = Collections.unmodifiableList(copy);
        }
    }

    private volatile Int2ObjectHashMap<Group> groups = new Int2ObjectHashMap<>();

    /**
     * Adds or replaces a group.
     *
     * @param group the group.
     */
    public synchronized void put(final Group group)
    {
        final Int2ObjectHashMap<Group> next = new Int2ObjectHashMap<>(groups);
        next.put(group.id(), group);
        groups = next;
    }

    /**
     * Removes a group.
     *
     * @param id group id.
     * @return true when it existed.
     */
    public synchronized boolean remove(final int id)
    {
        if (!groups.containsKey(id))
        {
            return false;
        }
        final Int2ObjectHashMap<Group> next = new Int2ObjectHashMap<>(groups);
        next.remove(id);
        groups = next;
        return true;
    }

    /**
     * Looks up a group (data plane; no allocation).
     *
     * @param id group id.
     * @return the group, or null.
     */
    public Group get(final int id)
    {
        return groups.get(id);
    }

    /**
     * All groups.
     *
     * @return a new list.
     */
    public List<Group> groups()
    {
        return new ArrayList<>(groups.values());
    }
}
