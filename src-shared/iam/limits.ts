/** AWS IAM's quotas, as Strongroom keeps them. */
export const IAM_LIMITS = {
  usersPerAccount: 5000,
  accessKeysPerUser: 2,
  /** All inline policies of one user together, whitespace aside. */
  userPolicyCharacters: 2048,
} as const;
