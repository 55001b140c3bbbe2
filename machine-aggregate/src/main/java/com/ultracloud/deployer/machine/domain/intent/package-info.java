/**
 * The Java-side check of an imported cluster-state document: referential integrity, uniqueness and
 * value rules again, so a hand-edited or outdated export is refused with every error and its path.
 */
package com.ultracloud.deployer.machine.domain.intent;
