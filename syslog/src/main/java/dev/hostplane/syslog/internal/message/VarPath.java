package dev.hostplane.syslog.internal.message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compiled variable reference such as {@code $!usr!msgnum}, {@code $.x}, {@code $/count} or
 * {@code $!foo[2]!bar}: the tree it lives in and the path of keys / array indexes.
 */
public final class VarPath
{
    /** Tree of {@code $!} (message variables). */
    public static final char MESSAGE = '!';
    /** Tree of {@code $.} (local variables). */
    public static final char LOCAL = '.';
    /** Tree of {@code $/} (global variables). */
    public static final char GLOBAL = '/';

    private final char tree;
    private final Object[] path;
    private final String text;

    private VarPath(final char tree, final Object[] path, final String text)
    {
        this.tree = tree;
        this.path = path;
        this.text = text;
    }

    /**
     * Parses a reference.
     *
     * @param name text starting with {@code $!}, {@code $.} or {@code $/}.
     * @return the path, or null when the syntax is wrong.
     */
    public static VarPath parse(final String name)
    {
        if (name.length() < 2 || name.charAt(0) != '$')
        {
            return null;
        }
        final char tree = name.charAt(1);
        if (tree != MESSAGE && tree != LOCAL && tree != GLOBAL)
        {
            return null;
        }
        final List<Object> parts = new ArrayList<>();
        int i = 2;
        final StringBuilder current = new StringBuilder();
        while (i < name.length())
        {
            final char c = name.charAt(i);
            if (c == tree || (c == '!' && tree != MESSAGE))
            {
                if (current.length() > 0)
                {
                    parts.add(current.toString());
                    current.setLength(0);
                }
                i++;
            }
            else if (c == '[')
            {
                if (current.length() > 0)
                {
                    parts.add(current.toString());
                    current.setLength(0);
                }
                final int close = name.indexOf(']', i);
                if (close < 0)
                {
                    return null;
                }
                try
                {
                    parts.add(Integer.valueOf(name.substring(i + 1, close).trim()));
                }
                catch (final NumberFormatException ex)
                {
                    return null;
                }
                i = close + 1;
            }
            else
            {
                current.append(c);
                i++;
            }
        }
        if (current.length() > 0)
        {
            parts.add(current.toString());
        }
        return new VarPath(tree, parts.toArray(), name.toLowerCase(Locale.ROOT));
    }

    /**
     * Which tree.
     *
     * @return one of {@link #MESSAGE}, {@link #LOCAL}, {@link #GLOBAL}.
     */
    public char tree()
    {
        return tree;
    }

    /**
     * Whether the variable exists: a root when its tree was created (the global tree when it has
     * entries), anything else when it has a value.
     *
     * @param m       the message.
     * @param globals the global tree.
     * @return true when it exists.
     */
    public boolean exists(final SyslogMessage m, final Map<String, Object> globals)
    {
        if (path.length == 0)
        {
            return tree == GLOBAL ? !globals.isEmpty() : m.varsExist(tree);
        }
        return null != get(m, globals);
    }

    /**
     * Whether the path names the whole tree ({@code $!}).
     *
     * @return true for the root.
     */
    public boolean isRoot()
    {
        return path.length == 0;
    }

    /**
     * The last key of the path (used as JSON field name).
     *
     * @return last key or the tree name.
     */
    public String leafName()
    {
        return path.length == 0 ? "" : String.valueOf(path[path.length - 1]);
    }

    /** Keys are case-insensitive in rsyslog 8.2302; the first spelling stays. */
    private static String key(final Map<?, ?> map, final Object key)
    {
        final String k = String.valueOf(key);
        if (map.containsKey(k))
        {
            return k;
        }
        for (final Object existing : map.keySet())
        {
            if (String.valueOf(existing).equalsIgnoreCase(k))
            {
                return String.valueOf(existing);
            }
        }
        return k;
    }

    private static Map<String, Object> root(final SyslogMessage m, final Map<String, Object> globals, final char tree)
    {
        switch (tree)
        {
            case MESSAGE:
                return m.messageVars();
            case LOCAL:
                return m.localVars();
            default:
                return globals;
        }
    }

    /**
     * Reads the value.
     *
     * @param m       message.
     * @param globals {@code $/} tree.
     * @return value or null when absent.
     */
    public Object get(final SyslogMessage m, final Map<String, Object> globals)
    {
        Object current = tree == GLOBAL ? globals : m.readVars(tree);
        for (final Object key : path)
        {
            if (key instanceof Integer)
            {
                if (!(current instanceof List))
                {
                    return null;
                }
                final List<?> list = (List<?>)current;
                final int index = (Integer)key;
                if (index < 0 || index >= list.size())
                {
                    return null;
                }
                current = list.get(index);
            }
            else
            {
                if (!(current instanceof Map))
                {
                    return null;
                }
                current = ((Map<?, ?>)current).get(key((Map<?, ?>)current, key));
                if (null == current)
                {
                    return null;
                }
            }
        }
        return current;
    }

    /**
     * Sets the value, creating intermediate objects.
     *
     * @param m       message.
     * @param globals {@code $/} tree.
     * @param value   value.
     */
    @SuppressWarnings("unchecked")
    public void set(final SyslogMessage m, final Map<String, Object> globals, final Object value)
    {
        final Map<String, Object> rootMap = root(m, globals, tree);
        if (path.length == 0)
        {
            if (value instanceof Map)
            {
                rootMap.clear();
                rootMap.putAll((Map<String, Object>)Json.copy(value));
            }
            return;
        }
        Object current = rootMap;
        for (int i = 0; i < path.length - 1; i++)
        {
            final Object key = path[i];
            if (key instanceof Integer || !(current instanceof Map))
            {
                return;
            }
            final Map<String, Object> map = (Map<String, Object>)current;
            final String k = key(map, key);
            Object next = map.get(k);
            if (!(next instanceof Map))
            {
                next = new LinkedHashMap<String, Object>();
                map.put(k, next);
            }
            current = next;
        }
        final Object last = path[path.length - 1];
        if (current instanceof Map && last instanceof String)
        {
            final Map<String, Object> map = (Map<String, Object>)current;
            map.put(key(map, last), value);
        }
    }

    /**
     * Removes the value.
     *
     * @param m       message.
     * @param globals {@code $/} tree.
     */
    public void unset(final SyslogMessage m, final Map<String, Object> globals)
    {
        if (path.length == 0)
        {
            if (tree == GLOBAL)
            {
                globals.clear();
            }
            else
            {
                m.dropVars(tree);
            }
            return;
        }
        // Unsetting a leaf of a tree that does not exist creates nothing.
        final Map<String, Object> rootMap = tree == GLOBAL ? globals : m.readVars(tree);
        Object current = rootMap;
        for (int i = 0; i < path.length - 1; i++)
        {
            if (!(current instanceof Map))
            {
                return;
            }
            current = ((Map<?, ?>)current).get(key((Map<?, ?>)current, path[i]));
        }
        if (current instanceof Map)
        {
            ((Map<?, ?>)current).remove(key((Map<?, ?>)current, path[path.length - 1]));
        }
    }

    @Override
    public String toString()
    {
        return text;
    }
}
