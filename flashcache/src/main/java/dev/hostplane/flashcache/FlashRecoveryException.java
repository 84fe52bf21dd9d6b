package dev.hostplane.flashcache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link BlockCache#open} refused a persistent flash tier whose metadata cannot prove that it lost no dirty
 * block (data acknowledged to writers but not yet in the backing store): a metadata log cut short, emptied
 * or damaged, a missing commit seal, or a file registry that no longer names the files flash holds blocks
 * of. Nothing on disk was changed. To open anyway, dropping what cannot be trusted (as {@code fsck -y}
 * would), set {@link CacheConfig.Builder#acceptDataLoss(boolean)}.
 */
public final class FlashRecoveryException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    // An ArrayList, not a List, so that the exception stays serializable with its problems.
    private final ArrayList<String> problems;

    /**
     * @param directory the flash directory.
     * @param problems  what is wrong, one line each.
     */
    public FlashRecoveryException(final Path directory, final List<String> problems)
    {
        super("flash tier at " + directory + " cannot prove it holds no unwritten data, refusing to open: "
            + String.join("; ", problems)
            + " (acknowledged writes may be lost; to open anyway and drop what cannot be trusted, set"
            + " CacheConfig.Builder.acceptDataLoss(true))");
        this.directory = directory;
        this.problems = new ArrayList<>(problems);
    }

    /**
     * @return the flash directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @return what is wrong, one line each.
     */
    public List<String> problems()
    {
        return Collections.unmodifiableList(problems);
    }
}
