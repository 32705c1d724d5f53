package hudson.model;

/**
 * STUB of jenkins-core {@code hudson.model.Item}: only the naming and URL accessors. The real
 * interface extends {@code PersistenceRoot, SearchableModelObject, AccessControlled, OnMaster} and
 * declares the permission constants ({@code BUILD}, {@code CANCEL}, {@code CONFIGURE},
 * {@code READ}, {@code WORKSPACE}); they are omitted because no {@code Permission} type is stubbed.
 */
public interface Item extends ModelObject {
    ItemGroup<? extends Item> getParent();

    String getName();

    String getFullName();

    String getFullDisplayName();

    String getUrl();
}
