"""Demo projects of Brightline Analytics."""

PROJECTS = [
    {
        "organization": "Brightline Analytics",
        "title": "Clean and analyze a 1,200-response customer satisfaction survey in R",
        "summary": (
            "Help our team turn a raw survey export from a regional grocery client "
            "into clean data, summary tables and a short findings memo."
        ),
        "description": (
            "One of our retail clients ran a customer satisfaction survey across 14 "
            "stores this spring and collected about 1,200 responses. The export has "
            "inconsistent store names, partial responses and a few duplicated rows, "
            "so it needs careful cleaning before anyone can trust the numbers."
            "\n\n"
            "You will write a reproducible R script that cleans the data, computes "
            "satisfaction scores by store and by shopper segment, and flags "
            "differences that are large enough to matter. You will then summarize "
            "the results in a two-page memo written for a non-technical reader."
            "\n\n"
            "A senior analyst will walk you through the survey design on a kickoff "
            "call and review your script with you at a weekly check-in. We share a "
            "data dictionary and an example memo from a past project."
        ),
        "deliverables": (
            "- A commented R script that cleans the raw export and produces all tables\n"
            "- Summary tables of satisfaction scores by store and shopper segment\n"
            "- A two-page findings memo with three to five key takeaways"
        ),
        "category": "data_analysis",
        "skills": ["R", "Data analysis", "Survey design", "Technical writing"],
        "hours": 25,
        "fee_cents": 70000,
        "days_to_complete": 21,
        "apply_in_days": 14,
        "posted_days_ago": 3,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Describe a dataset you cleaned in R or Python. What problems did you find and "
                "how did you fix them?"
            ),
            (
                "How would you decide whether a difference in average scores between two stores "
                "is meaningful?"
            ),
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Python script to automate a weekly Excel client report",
        "summary": (
            "Replace a two-hour manual copy-and-paste routine with a Python script "
            "that builds our weekly client report workbook from three CSV files."
        ),
        "description": (
            "Every Monday an analyst on our team combines three CSV exports into a "
            "formatted Excel workbook for a logistics client. The steps are the same "
            "each week, but they take about two hours and mistakes creep in."
            "\n\n"
            "You will write a Python script that reads the three files, applies the "
            "existing calculations, and writes a workbook with the same tabs, "
            "formatting and charts the client already receives. You will also write "
            "a short README so anyone on the team can run it."
            "\n\n"
            "We provide four weeks of sample inputs and the matching finished "
            "reports so you can test your output against them. Expect a kickoff "
            "call, a mid-project code review and a final handoff meeting."
        ),
        "deliverables": (
            "- A Python script that produces the weekly workbook from the three CSV inputs\n"
            "- Output that matches the four sample reports we provide\n"
            "- A README with setup and run instructions"
        ),
        "category": "software",
        "skills": ["Python", "Excel", "Data analysis"],
        "hours": 20,
        "fee_cents": 64000,
        "days_to_complete": 21,
        "apply_in_days": 10,
        "posted_days_ago": 5,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Share a link to, or briefly describe, a Python project where you read or wrote "
                "spreadsheet files."
            ),
            "Which Python libraries would you use to write a formatted Excel workbook, and why?",
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Market scan of digital banking features at 20 regional credit unions",
        "summary": (
            "Compare the mobile and online banking features offered by 20 regional "
            "credit unions to support a client's product planning."
        ),
        "description": (
            "A credit union client wants to know how its digital banking offer "
            "compares with peers of a similar size. We have a list of 20 regional "
            "credit unions and a checklist of about 25 features, from mobile check "
            "deposit to card controls and budgeting views."
            "\n\n"
            "Using public websites, app store listings and published fee schedules, "
            "you will record which features each credit union offers and note "
            "anything unusual. You will finish with a one-page summary of the "
            "common features and the gaps."
            "\n\n"
            "A project lead will meet you for a 30-minute kickoff call and check in "
            "once a week by video. We will review your first five entries early so "
            "you can calibrate before doing the rest."
        ),
        "deliverables": (
            "- A completed feature matrix for 20 credit unions with source links\n"
            "- A one-page summary of common features, gaps and standouts"
        ),
        "category": "industry_research",
        "skills": ["Market research", "Competitive analysis", "Excel"],
        "hours": 15,
        "fee_cents": 30000,
        "days_to_complete": 14,
        "apply_in_days": 9,
        "posted_days_ago": 2,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Describe a research project where you compared several organizations on the same"
                " set of criteria."
            ),
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Write 3 client case studies from project notes and interviews",
        "summary": (
            "Turn internal project notes and short interviews with our analysts into "
            "three readable case studies for our website."
        ),
        "description": (
            "Our website has almost no examples of the work we do. We have "
            "permission from three clients, a healthcare provider, a regional "
            "retailer and a freight company, to publish anonymized case studies "
            "about recent projects."
            "\n\n"
            "You will read the project summaries, hold a 20-minute interview with "
            "the lead analyst on each project, and write a 600 to 800 word case "
            "study for each one: the problem, the approach and the measurable "
            "result. Plain language matters more than jargon."
            "\n\n"
            "Our marketing manager will run the kickoff call, introduce you to the "
            "analysts and give you one round of edits on each draft."
        ),
        "deliverables": (
            "- Three case studies of 600 to 800 words each\n"
            "- A two-sentence teaser and suggested headline for each case study"
        ),
        "category": "content_creation",
        "skills": ["Copywriting", "Blog writing", "Customer interviews"],
        "hours": 12,
        "fee_cents": 26400,
        "days_to_complete": 14,
        "apply_in_days": 12,
        "posted_days_ago": 6,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Please share a writing sample that explains a technical or data-related topic to"
                " a general reader."
            ),
            "How would you prepare for a 20-minute interview with someone you have never met?",
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Email nurture sequence for our new survey analysis service",
        "summary": (
            "Write and set up a four-email sequence in HubSpot introducing our "
            "survey analysis package to past webinar attendees."
        ),
        "description": (
            "We are launching a fixed-price survey analysis package for small "
            "organizations. About 900 people attended our webinars last year, and "
            "we want to introduce the new service to them without sounding pushy."
            "\n\n"
            "You will draft four short emails sent over three weeks, each with a "
            "clear subject line and one call to action, and build the sequence in "
            "HubSpot with our marketing manager. You will also suggest one simple "
            "test, such as two subject lines, for the first email."
            "\n\n"
            "We give you the service description, our brand voice notes and access "
            "to a HubSpot sandbox. There is a kickoff call and a review meeting "
            "before anything goes live."
        ),
        "deliverables": (
            "- Four email drafts with subject lines and preview text\n"
            "- The sequence built and tested in our HubSpot account\n"
            "- A short note proposing one subject line test"
        ),
        "category": "marketing",
        "skills": ["Email marketing", "Copywriting", "HubSpot"],
        "hours": 10,
        "fee_cents": 22000,
        "days_to_complete": 14,
        "apply_in_days": 7,
        "posted_days_ago": 1,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "What makes you open a marketing email rather than delete it? Give one example.",
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Redesign our 20-slide capabilities deck in PowerPoint",
        "summary": (
            "Give our capabilities presentation a cleaner, more consistent look "
            "using our existing brand colors and fonts."
        ),
        "description": (
            "Our capabilities deck has been edited by many people over three years "
            "and it shows: mixed fonts, crowded charts and inconsistent layouts. "
            "The content is mostly right; the design needs work."
            "\n\n"
            "You will build a small set of slide layouts in PowerPoint, apply them "
            "to all 20 slides, simplify the charts and replace clip art with clean "
            "icons. Where a slide has too much text, you will suggest shorter "
            "wording for us to approve."
            "\n\n"
            "You will get our brand guide, the current deck and two decks we admire. "
            "We will meet for a kickoff call and review your first five slides "
            "before you continue."
        ),
        "deliverables": (
            "- A redesigned 20-slide deck in PowerPoint\n"
            "- A template file with the master layouts for future decks"
        ),
        "category": "design",
        "skills": ["Presentation design", "PowerPoint", "Data visualization"],
        "hours": 10,
        "fee_cents": 23000,
        "days_to_complete": 10,
        "apply_in_days": 6,
        "posted_days_ago": 4,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "Please link to or attach two or three slides you have designed.",
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Proofread and fact-check a 40-page report on rural broadband adoption",
        "summary": (
            "Check the figures, citations and wording of a nearly finished research "
            "report before it goes to the client."
        ),
        "description": (
            "We are finishing a 40-page report for a state agency on home broadband "
            "adoption in rural counties. It cites about 60 figures from public "
            "sources and includes 15 charts."
            "\n\n"
            "You will check every number in the text and charts against its source, "
            "confirm that citations are complete and consistent, and mark up typos "
            "and unclear sentences. Anything you cannot verify goes on a short list "
            "for the authors."
            "\n\n"
            "The report's lead author will brief you on a short call and answer "
            "questions by email throughout the week."
        ),
        "deliverables": (
            "- A marked-up copy of the report with corrections and comments\n"
            "- A spreadsheet listing each checked figure, its source and its status"
        ),
        "category": "other",
        "skills": ["Technical writing", "Excel", "Data analysis"],
        "hours": 8,
        "fee_cents": 16000,
        "days_to_complete": 7,
        "apply_in_days": 5,
        "posted_days_ago": 8,
        "openings": 1,
        "is_remote": True,
        "location": "",
        "questions": [
            "How do you make sure you do not miss errors when proofreading a long document?",
        ],
        "status": "open",
    },
    {
        "organization": "Brightline Analytics",
        "title": "Code 600 open-ended survey responses into themes",
        "summary": (
            "Read and tag open-ended answers from an employee engagement survey "
            "using a codebook our team has already drafted."
        ),
        "description": (
            "A mid-size manufacturer asked its employees what would make their jobs "
            "better. About 600 people wrote free-text answers, and we need each one "
            "tagged with one or more themes so we can count and compare them."
            "\n\n"
            "Working in a shared Google Sheet, you will apply our codebook of 18 "
            "themes to every response, flag answers that fit no theme, and note any "
            "new themes that come up often. Two students will split the responses "
            "and code an overlapping sample so we can check consistency."
            "\n\n"
            "We will train you on the codebook in a one-hour kickoff call and review "
            "your first 50 responses together before you continue."
        ),
        "deliverables": (
            "- All assigned responses coded in the shared sheet\n"
            "- A list of suggested new themes with example responses"
        ),
        "category": "data_entry",
        "skills": ["Data entry", "Google Sheets", "Data analysis"],
        "hours": 18,
        "fee_cents": 30600,
        "days_to_complete": 14,
        "apply_in_days": 4,
        "posted_days_ago": 15,
        "openings": 2,
        "is_remote": True,
        "location": "",
        "questions": [
            (
                "Have you done any qualitative coding before, in a class or a job? Describe it "
                "briefly."
            ),
            (
                "Responses may mention sensitive workplace issues. How would you handle that "
                "information?"
            ),
        ],
        "status": "closed",
    },
]
