package hudson.model;

import hudson.ExtensionPoint;

/**
 * STUB of jenkins-core {@code hudson.model.TopLevelItem}. The real interface also extends
 * {@code Describable<TopLevelItem>} and declares {@code getDescriptor()}; omitted (no
 * {@code TopLevelItemDescriptor} stub).
 */
public interface TopLevelItem extends Item, ExtensionPoint {
}
