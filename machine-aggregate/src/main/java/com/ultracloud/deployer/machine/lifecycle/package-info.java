/**
 * The machine lifecycle as one immutable table of transitions (DESIGN §3). The aggregate selects
 * rows from it, the fixture tests are generated from it, and docs/lifecycle.md is rendered from it.
 * Pure Java: no Spring, no Axon.
 */
package com.ultracloud.deployer.machine.lifecycle;
