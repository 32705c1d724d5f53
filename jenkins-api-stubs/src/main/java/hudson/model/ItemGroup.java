package hudson.model;

/**
 * STUB of jenkins-core {@code hudson.model.ItemGroup}: only {@link #getFullName()} and
 * {@link #getUrl()}. The real interface (extends {@code PersistenceRoot, ModelObject}) has many
 * more members ({@code getItems()}, {@code getItem(String)}, {@code getUrlChildPrefix()} ...).
 */
public interface ItemGroup<T extends Item> extends ModelObject {
    String getFullName();

    String getUrl();
}
