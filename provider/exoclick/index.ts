export { LibraryUrl, LibraryUrlArgs } from "./libraryUrl";
export { LibraryFile, LibraryFileArgs } from "./libraryFile";
export { Campaign, CampaignArgs, TargetingArgs, CountryArgs, PricingArgs } from "./campaign";
export { Variation, VariationArgs } from "./variation";
export { ExoClickClient } from "./client";
