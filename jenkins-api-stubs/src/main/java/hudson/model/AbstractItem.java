package hudson.model;

/**
 * STUB of jenkins-core {@code hudson.model.AbstractItem}. Names and URLs work without Jenkins: a
 * null parent stands for the Jenkins root (full name = name, URL = {@code job/<name>/}).
 */
public abstract class AbstractItem extends Actionable implements Item {
    private transient ItemGroup parent;
    protected String name;

    protected AbstractItem(ItemGroup parent, String name) {
        this.parent = parent;
        this.name = name;
    }

    @Override
    public ItemGroup getParent() {
        return parent;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDisplayName() {
        return getName();
    }

    @Override
    public String getFullName() {
        String prefix = parent == null ? "" : parent.getFullName();
        return prefix.isEmpty() ? getName() : prefix + '/' + getName();
    }

    @Override
    public String getFullDisplayName() {
        return getFullName().replace("/", " » ");
    }

    public String getShortUrl() {
        return "job/" + getName() + '/';
    }

    @Override
    public String getUrl() {
        return (parent == null ? "" : parent.getUrl()) + getShortUrl();
    }
}
