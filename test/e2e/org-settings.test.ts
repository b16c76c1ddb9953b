import { describe, expect, it } from "vitest";
import { organization, person } from "../helpers/fixtures.ts";
import { memberOf, membersOf } from "../helpers/members.ts";
import type { TestServer } from "../helpers/server.ts";
import { checkPage, expectPage } from "./helpers/app.ts";
import type { TestBrowser } from "./helpers/browser.ts";
import { useBrowserSuite } from "./helpers/suite.ts";
import { expectStatus, signedIn, tabNames, visit } from "./helpers/scene.ts";

/** An owner's organization settings in the browser: transferring ownership, deleting. */

let server: TestServer;
let browser: TestBrowser;

useBrowserSuite((suite) => ({ server, browser } = suite));

describe("organization settings", () => {
  it("transfers ownership after a confirmation, and the owner's controls go with it", async () => {
    const owner = await person(server, "olga");
    const orgId = await organization(server, owner);
    const heir = await memberOf(server, orgId, {}, "hana");
    const { page, pageErrors } = await signedIn(browser, server, owner.email);
    await visit(page, `/orgs/${orgId}/settings`, "Settings", "org-settings-owner");
    expect(await page.getByRole("heading", { level: 2 }).allInnerTexts()).toEqual([
      "Rename",
      "Transfer ownership",
      "Leave",
      "Delete organization",
    ]);

    const transfer = page.getByRole("button", { name: "Transfer ownership" });
    expect(await transfer.isDisabled()).toBe(true);
    await page.getByLabel("New owner").selectOption({ label: `hana (${heir.email})` });
    await transfer.click();
    const confirm = page.getByRole("dialog", { name: "Transfer ownership" });
    await confirm
      .getByText(`Make hana (${heir.email}) the owner of Organization ${orgId}?`)
      .waitFor();
    await checkPage(page, "org-settings-transfer-confirm", true);
    await confirm.getByRole("button", { name: "Transfer ownership" }).click();

    // The outcome stays in view though the sections that made it are gone with the role.
    await expectStatus(page, `hana is now the owner of Organization ${orgId}.`);
    await page.getByText("Your roles: Account admin").waitFor();
    expect(await page.getByRole("heading", { level: 2 }).allInnerTexts()).toEqual(["Leave"]);
    await checkPage(page, "org-settings-transferred", true);
    expect(await tabNames(page)).toContain("Members");
    expect((await membersOf(server, orgId)).owners).toEqual([heir.userId]);
    expect(pageErrors).toEqual([]);
  });

  it("deletes the organization only once its ID is typed", async () => {
    const owner = await person(server, "dora");
    const orgId = await organization(server, owner);
    const { page, pageErrors } = await signedIn(browser, server, owner.email);
    await visit(page, `/orgs/${orgId}/settings`, "Settings", "org-settings-delete", false);

    const typed = page.getByLabel(`Type the organization ID, ${orgId}, to confirm`);
    const remove = page.getByRole("button", { name: "Delete organization" });
    expect(await remove.isDisabled()).toBe(true);
    await typed.fill(orgId.toUpperCase());
    expect(await remove.isDisabled()).toBe(true);
    await typed.fill(orgId);
    await checkPage(page, "org-settings-delete-typed", true);
    await remove.click();

    await page.waitForURL(`${server.url}/orgs`);
    await expectPage(page, "Organizations");
    await expectStatus(page, `Organization ${orgId} was deleted.`);
    await page.getByText("You belong to no organization yet.").waitFor();
    await checkPage(page, "org-deleted", true);
    expect((await owner.client.get(`/api/v1/organizations/${orgId}`)).status).toBe(404);

    await visit(page, `/orgs/${orgId}`, "Organization not found", "org-deleted-address", false);
    expect(pageErrors).toEqual([]);
  });
});
