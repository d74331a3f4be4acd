"""The collection layer: minting whole collections and auditing their rarity."""
