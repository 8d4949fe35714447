/** How entities look on the wire: the JSON shapes of the SDK's models (`User`, `Queue`, `AuthzDivision`, …). */
import type { Conversation, Division, EmulatorState, Queue, Role, UserRecord } from "./state";

export const divisionRef = (state: EmulatorState, divisionId: string) => {
  if (divisionId === "*")
    return { id: "*", name: "All divisions", selfUri: "/api/v2/authorization/divisions/*" };
  const d = state.divisions.get(divisionId);
  return {
    id: divisionId,
    name: d?.name ?? divisionId,
    selfUri: `/api/v2/authorization/divisions/${divisionId}`,
  };
};

export const divisionView = (d: Division) => ({
  id: d.id,
  name: d.name,
  description: d.description,
  homeDivision: d.homeDivision,
  selfUri: `/api/v2/authorization/divisions/${d.id}`,
});

export const roleView = (r: Role, userCount?: number) => ({
  id: r.id,
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  permissionPolicies: r.permissions.map((p) => {
    const [domain, entityName, action] = p.split(":");
    return { domain, entityName, actionSet: [action] };
  }),
  default: r.default,
  base: false,
  ...(userCount !== undefined ? { userCount } : {}),
  selfUri: `/api/v2/authorization/roles/${r.id}`,
});

export const queueView = (state: EmulatorState, q: Queue) => {
  const joined = [...q.members.values()].filter(Boolean).length;
  return {
    id: q.id,
    name: q.name,
    description: q.description,
    division: divisionRef(state, q.divisionId),
    dateCreated: q.dateCreated,
    memberCount: q.members.size,
    userMemberCount: q.members.size,
    joinedMemberCount: joined,
    selfUri: `/api/v2/routing/queues/${q.id}`,
  };
};

export const userRef = (user: UserRecord) => ({
  id: user.id,
  name: user.name,
  selfUri: `/api/v2/users/${user.id}`,
});

export function presenceView(state: EmulatorState, user: UserRecord) {
  const def = state.presenceDefinitions.get(user.presence.definitionId);
  return {
    source: "PURECLOUD",
    primary: true,
    presenceDefinition: {
      id: user.presence.definitionId,
      systemPresence: def?.systemPresence,
      selfUri: `/api/v2/presence/definitions/${user.presence.definitionId}`,
    },
    message: user.presence.message,
    modifiedDate: user.presence.modifiedDate,
    selfUri: `/api/v2/users/${user.id}/presences/purecloud`,
  };
}

export const routingStatusView = (user: UserRecord) => ({
  userId: user.id,
  status: user.routingStatus.status,
  startTime: user.routingStatus.startTime,
});

export function userSkillView(state: EmulatorState, skillId: string, proficiency: number) {
  return {
    id: skillId,
    name: state.skills.get(skillId)?.name,
    proficiency,
    state: "active",
    skillUri: `/api/v2/routing/skills/${skillId}`,
    selfUri: `/api/v2/users/skills/${skillId}`,
  };
}

export function userLanguageView(state: EmulatorState, languageId: string, proficiency: number) {
  return {
    id: languageId,
    name: state.languages.get(languageId)?.name,
    proficiency,
    state: "active",
    languageUri: `/api/v2/routing/languages/${languageId}`,
    selfUri: `/api/v2/users/languages/${languageId}`,
  };
}

/** The user's active interactions per media type, as `expand=conversationSummary` reports them. */
export function conversationSummaryView(state: EmulatorState, user: UserRecord) {
  const count = (media: Conversation["mediaType"]) =>
    [...state.conversations.values()].filter(
      (c) =>
        c.mediaType === media &&
        !c.endTime &&
        c.participants.some((p) => p.userId === user.id && p.state === "connected"),
    ).length;
  const media = (active: number) => ({
    contactCenter: { active, acw: 0 },
    enterprise: { active: 0, acw: 0 },
  });
  return {
    userId: user.id,
    call: media(count("voice")),
    email: media(count("email")),
    message: media(count("message")),
    callback: media(count("callback")),
    chat: media(0),
    socialExpression: media(0),
    video: media(0),
  };
}

export function authorizationView(state: EmulatorState, user: UserRecord) {
  const roles = [...new Set(user.grants.map((g) => g.roleId))]
    .map((id) => state.roles.get(id))
    .filter((r): r is Role => r !== undefined);
  return {
    roles: roles.map((r) => ({ id: r.id, name: r.name })),
    unusedRoles: [],
    permissions: [...new Set(roles.flatMap((r) => r.permissions))],
    permissionPolicies: [],
  };
}

/** A `User`, with the expansions asked for. */
export function userView(state: EmulatorState, user: UserRecord, expand: string[] = []) {
  const view: Record<string, unknown> = {
    id: user.id,
    name: user.name,
    division: divisionRef(state, user.divisionId),
    chat: { jabberId: `${user.id}@example.orgspan.com` },
    email: user.email,
    primaryContactInfo: [{ address: user.email, mediaType: "EMAIL", type: "PRIMARY" }],
    addresses: user.addresses,
    state: user.state,
    username: user.email,
    version: user.version,
    acdAutoAnswer: user.acdAutoAnswer,
    selfUri: `/api/v2/users/${user.id}`,
  };
  if (user.title !== undefined) view.title = user.title;
  if (user.department !== undefined) view.department = user.department;
  if (user.preferredName !== undefined) view.preferredName = user.preferredName;
  if (user.managerId !== undefined)
    view.manager = { id: user.managerId, selfUri: `/api/v2/users/${user.managerId}` };
  const wants = new Set(expand);
  if (wants.has("employerInfo") && user.employerInfo) view.employerInfo = user.employerInfo;
  if (wants.has("routingStatus")) view.routingStatus = routingStatusView(user);
  if (wants.has("presence")) view.presence = presenceView(state, user);
  if (wants.has("conversationSummary")) view.conversationSummary = conversationSummaryView(state, user);
  if (wants.has("authorization")) view.authorization = authorizationView(state, user);
  if (wants.has("skills")) view.skills = [...user.skills].map(([id, p]) => userSkillView(state, id, p));
  if (wants.has("languages"))
    view.languages = [...user.languages].map(([id, p]) => userLanguageView(state, id, p));
  if (wants.has("groups")) view.groups = [];
  if (wants.has("locations")) view.locations = [];
  if (wants.has("dateWelcomeSent") && user.dateWelcomeSent) view.dateWelcomeSent = user.dateWelcomeSent;
  return view;
}
